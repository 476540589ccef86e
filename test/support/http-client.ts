/* eslint-disable @typescript-eslint/no-explicit-any -- test client: response bodies are asserted field by field */
/**
 * A tiny client for the local stack's API, as automation would use it. Every
 * response is checked against the OpenAPI document the stack serves: a status the
 * document does not declare for the route, or a body that does not match, fails
 * the request (and so the test) with the mismatch in the message.
 */
import { openApiChecker, type OpenApiChecker, type OpenApiDocument } from './openapi-check';

export interface Reply<T = any> {
  status: number;
  contentType: string;
  text: string;
  body: T;
}

async function send<T>(baseUrl: string, method: string, path: string, key?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const response = await fetch(`${baseUrl}/v1${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, body: text ? JSON.parse(text) : undefined };
}

/** A client of the API at `baseUrl` (without `/v1`); `check: false` only for tests of the check itself. */
export function apiClient(baseUrl: string, options: { check?: boolean } = {}) {
  let checker: Promise<OpenApiChecker> | undefined;
  const served = () => (checker ??= send<OpenApiDocument>(baseUrl, 'GET', '/openapi.json').then((r) => openApiChecker(r.body)));
  /** `body` is sent as JSON, or as is when it is a string. */
  async function call<T = any>(method: string, path: string, key?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const reply = await send<T>(baseUrl, method, path, key, body, headers);
    if (options.check !== false) (await served()).check(method, `/v1${path}`, reply);
    return reply;
  }
  return {
    call,
    get: <T = any>(path: string, key?: string) => call<T>('GET', path, key),
    post: <T = any>(path: string, key: string | undefined, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, key, body, headers),
    put: <T = any>(path: string, key: string | undefined, body?: unknown) => call<T>('PUT', path, key, body),
    delete: <T = any>(path: string, key: string | undefined) => call<T>('DELETE', path, key),
    /** Polls a run until it is in one of `states` (bounded). */
    async waitForRun(id: string, key: string, states: string[], timeoutMs = 60_000): Promise<any> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = (await call('GET', `/runs/${id}`, key)).body;
        if (states.includes(run.state)) return run;
        if (Date.now() > deadline)
          throw new Error(`run ${id} is ${run.state}, not ${states.join('/')}, after ${timeoutMs} ms: ${JSON.stringify(run.abortReason ?? '')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
