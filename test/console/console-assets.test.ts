/** The local server's console files: index.html for pages, files with their types, nothing outside the directory, GET and HEAD only. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../console/serving';
import { contentTypeOf, resolveAsset } from '#infra/local/console-assets';
import { compileRoutes, startHttpServer, type HttpLambda } from '#infra/local/http-server';

/** A built console next to a file it must never serve. */
function fixture(): { root: string; outside: string } {
  const parent = mkdtempSync(path.join(tmpdir(), 'slipway-console-'));
  const root = path.join(parent, 'dist');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(path.join(root, 'favicon.svg'), '<svg/>');
  const outside = path.join(parent, 'secret.txt');
  writeFileSync(outside, 'not for the browser');
  symlinkSync(outside, path.join(root, 'assets', 'link.js'));
  return { root, outside };
}

/** A raw request, its target sent exactly as written (fetch would normalize `..` away). */
function raw(url: string, method: string, target: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path: target }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const { root } = fixture();

describe('resolving a console path', () => {
  it.each(['/', '/runs/run_01jabc', '/deployments/dep_1/versions', '/launch?deployment=wordpress-site'])(
    'answers the page %s with index.html, never cached',
    async (target) => {
      const answer = await resolveAsset(root, 'GET', target);

      expect(answer).toEqual({ status: 200, file: path.join(root, 'index.html'), contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' });
    },
  );

  it('answers a hashed bundle with its bytes’ type, cached for good', async () => {
    const answer = await resolveAsset(root, 'GET', '/assets/index-abc123.js');

    expect(answer).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable' });
  });

  it('answers a missing file of the build with 404, not with index.html', async () => {
    expect(await resolveAsset(root, 'GET', '/assets/index-gone.js')).toMatchObject({ status: 404 });
    expect(await resolveAsset(root, 'GET', '/robots.txt')).toMatchObject({ status: 404 });
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%5c%2e%2e%5csecret.txt',
    '/assets/index%00.js',
    '/assets/%ff.js',
  ])('refuses %s with 400 before touching the disk', async (target) => {
    expect(await resolveAsset(root, 'GET', target)).toMatchObject({ status: 400 });
  });

  it('does not follow a symbolic link out of the directory', async () => {
    expect(await resolveAsset(root, 'GET', '/assets/link.js')).toMatchObject({ status: 404 });
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('refuses %s with 405', async (method) => {
    expect(await resolveAsset(root, method, '/')).toMatchObject({ status: 405 });
  });

  it('says the console is not built (503) when the directory has no index.html', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'slipway-console-empty-'));

    expect(await resolveAsset(empty, 'GET', '/')).toMatchObject({ status: 503, message: expect.stringContaining('npm run build:console') });
  });
});

describe('content types', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['app.js', 'text/javascript; charset=utf-8'],
    ['app.CSS', 'text/css; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['shot.png', 'image/png'],
    ['app.js.map', 'application/json'],
    ['font.woff2', 'font/woff2'],
    ['blob.bin', 'application/octet-stream'],
    ['no-extension', 'application/octet-stream'],
  ])('%s is %s', (file, type) => {
    expect(contentTypeOf(file)).toBe(type);
  });
});

describe('the local HTTP server with a console directory', () => {
  let server: { url: string; stop(): Promise<void> };
  let apiCalls = 0;

  beforeAll(async () => {
    const handler: HttpLambda = async () => {
      apiCalls++;
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
    };
    server = await startHttpServer(compileRoutes([{ key: 'GET /v1/images/{id}', handler }]), 0, { consoleDir: root });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('serves index.html at / with the console’s security headers', async () => {
    const response = await fetch(`${server.url}/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>console</title>');
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await raw(server.url, 'HEAD', '/assets/index-abc123.css');

    expect(response).toMatchObject({ status: 200, body: '' });
    expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(response.headers['content-length']).toBe(String('body{}'.length));
  });

  it('leaves /v1 to the API: routes reach their handler, unknown API paths get problem+json', async () => {
    const before = apiCalls;

    const routed = await fetch(`${server.url}/v1/images/img_1`);
    const unknown = await fetch(`${server.url}/v1/nothing-here`);

    expect(routed.status).toBe(200);
    expect(apiCalls).toBe(before + 1);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses a traversal sent raw over the wire, and a write method on a console path', async () => {
    const traversal = await raw(server.url, 'GET', '/assets/..%2f..%2fsecret.txt');
    const post = await raw(server.url, 'POST', '/runs/run_1');

    expect(traversal.status).toBe(400);
    expect(traversal.body).not.toContain('not for the browser');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});
