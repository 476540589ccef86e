/**
 * A lean client of the local API for the bench: plain fetch, no response checking
 * (the test client's OpenAPI check would spend the CPU the figures measure).
 */
export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench client: bodies are read field by field
  body: any;
}

export class BenchApi {
  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, key: string | undefined, body?: unknown): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}/v1${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** The body of a call that must succeed (2xx); throws with the answer otherwise. */
  async must(method: string, path: string, key: string | undefined, body?: unknown): Promise<Reply['body']> {
    const reply = await this.call(method, path, key, body);
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  get = (path: string, key: string) => this.call('GET', path, key);
  post = (path: string, key: string, body?: unknown) => this.call('POST', path, key, body);
}

/** Admin-made connector of kind `sim`. */
export async function simConnector(
  api: BenchApi,
  adminKey: string,
  name: string,
  settings: Record<string, unknown>,
  maxIaasWorkers = 10,
  defaultQuotaVms = 100_000,
) {
  return api.must('POST', '/connectors', adminKey, { name, kind: 'sim', defaultQuotaVms, maxIaasWorkers, settings });
}

/** A user and their API key. */
export async function user(api: BenchApi, adminKey: string, name: string): Promise<{ id: string; key: string }> {
  const body = await api.must('POST', '/users', adminKey, { name });
  return { id: body.id, key: body.apiKey };
}

/**
 * For `key`'s user: a credential on each connector, an image with a native id on
 * each, and the one-node deployment `app` (multiplicity overridden per run).
 * @returns the credential ids by connector
 */
export async function appDeployment(api: BenchApi, key: string, connectors: string[]): Promise<Record<string, string>> {
  const credentials: Record<string, string> = {};
  for (const connector of connectors) {
    credentials[connector] = (await api.must('POST', '/credentials', key, { connector, secrets: { apiKey: 'bench', apiSecret: 'bench-secret' } })).id;
  }
  await api.must('POST', '/images', key, {
    name: 'base',
    cloudImageIds: Object.fromEntries(connectors.map((c) => [c, 'sim-ubuntu-22.04'])),
    outputs: ['hostname'],
  });
  await api.must('POST', '/deployments', key, { name: 'app', nodes: [{ name: 'app', image: 'base', multiplicity: 1 }] });
  return credentials;
}

/** Launches a run of `app` with `n` instances on `connector`; returns its id. */
export async function launch(api: BenchApi, key: string, connector: string, n: number): Promise<string> {
  return (await api.must('POST', '/runs', key, { deployment: 'app', connector, nodes: { app: { multiplicity: n } } })).id;
}

/** The run's state events (`state`, `at` in epoch ms), oldest first. */
export async function stateEvents(api: BenchApi, key: string, runId: string): Promise<{ state: string; at: number }[]> {
  // Every page: a run of N VMs also records about 2·N instance events between its state changes.
  const items: { state?: string; at: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.must('GET', `/runs/${runId}/events?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, key);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items.filter((e) => e.state).map((e) => ({ state: e.state!, at: Date.parse(e.at) }));
}
