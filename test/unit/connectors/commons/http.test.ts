import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudFetch, DEFAULT_TIMEOUT_MS, errorForStatus, truncate } from '#connectors/commons/http';
import { CapacityError, PermanentCloudError, RateLimitedError, TransientCloudError, type CloudError } from '#connectors/errors';

let server: Server;
let base: string;
const received: { method?: string; url?: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body });
      const status = Number(new URL(request.url!, 'http://x').searchParams.get('status') ?? 200);
      if (request.url!.startsWith('/slow')) return void setTimeout(() => response.end('late'), 1000);
      response.writeHead(status, { 'x-cloud': 'yes' }).end(`answer ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/** A budget that records what the call asked of it. */
const budget = () => {
  const calls: string[] = [];
  return { calls, take: async () => void calls.push('take'), throttled: async () => void calls.push('throttled') };
};

describe('cloudFetch', () => {
  it('sends the method, headers and body, and answers status, headers and text', async () => {
    // Act
    const response = await cloudFetch({ what: 'test POST', url: `${base}/things`, method: 'POST', headers: { 'x-token': 't' }, body: '{"a":1}' });
    // Assess
    expect(response).toMatchObject({ status: 200, text: 'answer 200' });
    expect(response.headers.get('x-cloud')).toBe('yes');
    expect(received.at(-1)).toMatchObject({ method: 'POST', url: '/things', body: '{"a":1}', headers: { 'x-token': 't' } });
  });

  it('sends a GET when no method is given', async () => {
    // Act
    await cloudFetch({ what: 'test GET', url: `${base}/plain` });
    // Assess
    expect(received.at(-1)).toMatchObject({ method: 'GET', url: '/plain' });
  });

  it('answers a failure status as it is, for the caller to classify', async () => {
    // Act
    const response = await cloudFetch({ what: 'test', url: `${base}/x?status=404` });
    // Assess
    expect(response).toMatchObject({ status: 404, text: 'answer 404' });
  });

  it('takes from the budget before the request, and backs off on 429 and 503 only', async () => {
    // Prepare
    const budgets = [budget(), budget(), budget(), budget()];
    // Act
    for (const [i, status] of [200, 429, 503, 500].entries()) await cloudFetch({ what: 'test', url: `${base}/b?status=${status}`, budget: budgets[i] });
    // Assess
    expect(budgets.map((b) => b.calls)).toEqual([['take'], ['take', 'throttled'], ['take', 'throttled'], ['take']]);
  });

  it('turns a timeout into a transient error that says how long it waited', async () => {
    // Act
    const error = await cloudFetch({ what: 'test slow', url: `${base}/slow`, timeoutMs: 50 }).catch((e: unknown) => e as CloudError);
    // Assess
    expect(error).toBeInstanceOf(TransientCloudError);
    expect((error as Error).message).toBe('test slow timed out after 50 ms');
    expect(DEFAULT_TIMEOUT_MS).toBe(15_000);
  });

  it('turns an unreachable cloud into a transient error whose cause carries no request', async () => {
    // Act
    const error = (await cloudFetch({ what: 'test down', url: 'http://127.0.0.1:9/x', headers: { authorization: 'Bearer secret-token' } }).catch(
      (e: unknown) => e,
    )) as Error;
    // Assess
    expect(error).toBeInstanceOf(TransientCloudError);
    expect(error.message).toBe('test down could not reach the cloud');
    expect((error.cause as Error).cause).toBeUndefined();
    expect(JSON.stringify(error.cause) + String(error.cause)).not.toContain('secret-token');
    expect((error.cause as Error).name).toBe('TypeError');
  });
});

describe('errorForStatus', () => {
  it.each([
    [429, RateLimitedError, 'list was throttled by the cloud: slow down'],
    [408, TransientCloudError, 'list failed with HTTP 408: slow down'],
    [500, TransientCloudError, 'list failed with HTTP 500: slow down'],
    [503, TransientCloudError, 'list failed with HTTP 503: slow down'],
    [401, PermanentCloudError, 'authentication failed (list: HTTP 401): slow down'],
    [403, PermanentCloudError, 'authentication failed (list: HTTP 403): slow down'],
    [400, PermanentCloudError, 'list was refused with HTTP 400: slow down'],
    [499, PermanentCloudError, 'list was refused with HTTP 499: slow down'],
  ])('classifies HTTP %i', (status, type, message) => {
    // Act
    const error = errorForStatus('list', status, 'slow down');
    // Assess
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe(message);
    expect((error.cause as Error).message).toBe(`HTTP ${status}: slow down`);
  });

  it('names the credential when authentication failed', () => {
    // Act
    const error = errorForStatus('list', 401, '', { credential: 'cred_1' });
    // Assess
    expect(error.message).toBe('authentication failed for credential cred_1 (list: HTTP 401)');
  });

  it('quotes nothing when the cloud said nothing', () => {
    // Act
    const error = errorForStatus('list', 500, '');
    // Assess
    expect(error.message).toBe('list failed with HTTP 500');
    expect(CapacityError).toBeDefined();
  });
});

describe('truncate', () => {
  it('keeps the first line, trimmed', () => {
    // Act
    const text = truncate('  first line\nsecond line\n');
    // Assess
    expect(text).toBe('first line');
  });

  it('cuts a long line at the limit with an ellipsis, and leaves one at the limit whole', () => {
    // Act
    const texts = [truncate('abcdef', 3), truncate('abc', 3), truncate('x'.repeat(301)).length];
    // Assess
    expect(texts).toEqual(['abc…', 'abc', 301]);
  });
});
