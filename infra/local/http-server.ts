/**
 * The local API Gateway: matches a request to a route of the route table, builds
 * the HTTP API (v2) event API Gateway would send, and invokes the same handler.
 * What it refuses itself (no route: 404; a known path with another method: 405
 * with `Allow`; a body Lambda could not be invoked with: 413; a malformed path: 400)
 * it answers as problem+json through the kit's `problem`, like every other error.
 * Given the built web console, it serves it on every path outside `/v1` (console-assets.ts).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { problem as problemResult } from '#functions/http/kit/problem';
import { consoleAssets } from './console-assets';

/** Lambda's limit on a synchronous invocation's payload: API Gateway refuses larger requests itself. */
const MAX_INVOKE_BYTES = 6 * 1024 * 1024;

export type HttpLambda = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  key: string;
  method: string;
  pattern: RegExp;
  names: string[];
  handler: HttpLambda;
}

export function compileRoutes(routes: { key: string; handler: HttpLambda }[]): CompiledRoute[] {
  return routes.map(({ key, handler }) => {
    const [method, path] = key.split(' ') as [string, string];
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '([^/]+)')}$`);
    return { key, method, pattern, names, handler };
  });
}

class BodyTooLargeError extends Error {}

/** @throws BodyTooLargeError past MAX_INVOKE_BYTES, without buffering the rest */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > MAX_INVOKE_BYTES) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_INVOKE_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
}

/** A path segment decoded, or undefined when its percent-encoding is malformed (`%ff`, `%zz`). */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Path parameters by name, decoded as API Gateway does.
 * @throws URIError when one is not valid percent-encoding (the server answers 400)
 */
function pathParameters(route: CompiledRoute, match: RegExpExecArray): Record<string, string> | undefined {
  if (!route.names.length) return undefined;
  return Object.fromEntries(
    route.names.map((name, i) => {
      const value = decodeSegment(match[i + 1]!);
      if (value === undefined) throw new URIError(`path parameter ${name} is not valid percent-encoding`);
      return [name, value];
    }),
  );
}

export function toEvent(route: CompiledRoute, match: RegExpExecArray, request: IncomingMessage, url: URL, body: string | undefined): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : (v ?? '')]));
  const query = Object.fromEntries(url.searchParams);
  return {
    version: '2.0',
    routeKey: route.key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: pathParameters(route, match),
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      requestId: crypto.randomUUID(),
      routeKey: route.key,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      http: {
        method: route.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
    },
  } as APIGatewayProxyEventV2;
}

/** True for `/v1` and everything under it: the API's paths, never the console's. */
const isApiPath = (path: string) => path === '/v1' || path.startsWith('/v1/');

/**
 * Serves the routes on 127.0.0.1:`port` (0 picks a free port), and with `consoleDir`
 * the web console built there on every path outside `/v1`.
 */
export async function startHttpServer(
  routes: CompiledRoute[],
  port: number,
  options: { consoleDir?: string } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const serveConsole = options.consoleDir ? consoleAssets(options.consoleDir) : undefined;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    if (serveConsole && !isApiPath(url.pathname)) return serveConsole(request, response);
    const candidates = routes.filter((r) => r.pattern.test(url.pathname));
    const route = candidates.find((r) => r.method === request.method);
    const send = (status: number, headers: Record<string, string>, body: string) => {
      response.writeHead(status, headers);
      response.end(body);
    };
    const problem = (status: number, title: string, detail: string, headers: Record<string, string> = {}) => {
      const result = problemResult(status, title, detail, undefined, headers);
      send(status, result.headers as Record<string, string>, result.body!);
    };
    if (!route) {
      const allowed = [...new Set(candidates.map((r) => r.method))].join(', ');
      if (candidates.length)
        problem(405, 'Method not allowed', `${request.method} is not allowed on ${url.pathname} (allowed: ${allowed})`, { allow: allowed });
      else problem(404, 'Not found', `No route for ${request.method} ${url.pathname}`);
      request.resume();
      return;
    }
    let event: APIGatewayProxyEventV2;
    try {
      event = toEvent(route, route.pattern.exec(url.pathname)!, request, url, await readBody(request));
    } catch (error) {
      // Bad input from the client, refused before any handler runs (and before authentication), as API Gateway does.
      if (error instanceof URIError) problem(400, 'Invalid request', error.message);
      else if (error instanceof BodyTooLargeError) {
        response.setHeader('connection', 'close');
        problem(413, 'Payload too large', `A request body may hold at most ${MAX_INVOKE_BYTES} bytes`);
      } else problem(500, 'Internal error', 'The request could not be read');
      return;
    }
    try {
      const result = await route.handler(event, {});
      send(result.statusCode ?? 200, Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])), result.body ?? '');
    } catch (error) {
      console.error('local API: handler failed', error);
      problem(500, 'Internal error', 'The handler failed');
    }
  });
  // What Node's parser refuses (headers too large, a malformed request line) gets problem+json too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    const [status, title] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request header fields too large'] : [400, 'Bad request'];
    const result = problemResult(status, title, 'The request could not be read');
    const head = Object.entries({ ...result.headers, 'content-length': Buffer.byteLength(result.body!), connection: 'close' }).map(([k, v]) => `${k}: ${v}`);
    socket.end(`HTTP/1.1 ${status} ${title}\r\n${head.join('\r\n')}\r\n\r\n${result.body}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
