/**
 * The web console's built files (console/dist) for the local HTTP server: `/` and every
 * page path get index.html, files of the build get their bytes with their content type,
 * and nothing outside the directory is ever read. Only GET and HEAD.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { CONSOLE_FILE_PATH, CONSOLE_HEADERS } from '../../console/serving';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content type of a file, by its extension; bytes of an unknown kind are not sniffed into anything else. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type AssetAnswer = { status: 200; file: string; contentType: string; cacheControl: string } | { status: 400 | 404 | 405 | 503; message: string };

/** The request path's segments decoded, or undefined when one is malformed or could step out of the directory. */
function safeSegments(rawPath: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of rawPath.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '..' || segment === '.' || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments;
}

async function isFileInside(root: string, file: string): Promise<boolean> {
  try {
    // Through symbolic links too: the file's real place must be inside the directory's.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    return realFile.startsWith(realRoot + sep) && (await stat(realFile)).isFile();
  } catch {
    return false;
  }
}

/**
 * What to answer for `method rawPath` (the request target as sent, query included)
 * from the built console in `root`.
 */
export async function resolveAsset(root: string, method: string | undefined, rawPath: string): Promise<AssetAnswer> {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, message: `${method} is not allowed here (allowed: GET, HEAD)` };
  const path = rawPath.split(/[?#]/)[0] ?? '/';
  const segments = safeSegments(path);
  if (!segments) return { status: 400, message: 'Bad request path' };
  const base = resolve(root);
  const decoded = `/${segments.join('/')}`;
  if (CONSOLE_FILE_PATH.test(decoded)) {
    const file = join(base, ...segments);
    if (!file.startsWith(base + sep) || !(await isFileInside(base, file))) return { status: 404, message: `No file ${decoded} in the console` };
    const hashed = segments[0] === 'assets';
    return { status: 200, file, contentType: contentTypeOf(file), cacheControl: hashed ? 'public, max-age=31536000, immutable' : 'no-cache' };
  }
  const index = join(base, 'index.html');
  if (!(await isFileInside(base, index))) return { status: 503, message: 'The console is not built: run `npm run build:console`' };
  return { status: 200, file: index, contentType: contentTypeOf(index), cacheControl: 'no-cache' };
}

/** A request handler serving the console built in `root`. */
export function consoleAssets(root: string): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    request.resume();
    const head = request.method === 'HEAD';
    const refuse = (status: number, message: string) => {
      const body = `${message}\n`;
      response.writeHead(status, {
        ...CONSOLE_HEADERS,
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        ...(status === 405 ? { allow: 'GET, HEAD' } : {}),
      });
      response.end(head ? undefined : body);
    };
    const answer = await resolveAsset(root, request.method, request.url ?? '/');
    if (answer.status !== 200) return refuse(answer.status, answer.message);
    // Gone since it was resolved (a rebuild in progress): a 404, never a crash of the server.
    const bytes = await readFile(answer.file).catch(() => undefined);
    if (!bytes) return refuse(404, 'The file went away: is the console being rebuilt?');
    response.writeHead(200, { ...CONSOLE_HEADERS, 'content-type': answer.contentType, 'content-length': bytes.length, 'cache-control': answer.cacheControl });
    response.end(head ? undefined : bytes);
  };
}
