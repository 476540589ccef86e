/* eslint-disable @typescript-eslint/no-explicit-any -- test client: response bodies are asserted field by field */
/** A tiny client for the local stack's API, as automation would use it. */
export interface Reply<T = any> {
  status: number;
  contentType: string;
  text: string;
  body: T;
}

export function apiClient(baseUrl: string) {
  async function call<T = any>(method: string, path: string, key?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const response = await fetch(`${baseUrl}/v1${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, body: text ? JSON.parse(text) : undefined };
  }
  return {
    call,
    get: <T = any>(path: string, key?: string) => call<T>('GET', path, key),
    post: <T = any>(path: string, key: string | undefined, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, key, body, headers),
    put: <T = any>(path: string, key: string | undefined, body?: unknown) => call<T>('PUT', path, key, body),
    /** Polls a run until it is in one of `states` (bounded). */
    async waitForRun(id: string, key: string, states: string[], timeoutMs = 60_000): Promise<any> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = (await call('GET', `/runs/${id}`, key)).body;
        if (states.includes(run.state)) return run;
        if (Date.now() > deadline) throw new Error(`run ${id} is ${run.state}, not ${states.join('/')}, after ${timeoutMs} ms: ${JSON.stringify(run.abortReason ?? '')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
