/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field, as in test/support/http-client */
/**
 * What the soak and crash proofs do through Slipway's API: set up users, two sim
 * connectors and a wordpress-site deployment per user, list every run and its
 * events, wait for runs, and call through a process that may be down (crash test).
 */
import type { ApiClient, Reply } from '#test/support/http-client';
import type { SimAccountRef } from './sim-cloud';
import { sleep } from './seeded';

export interface SoakUser {
  name: string;
  id: string;
  key: string;
}

export interface SoakWorld {
  users: SoakUser[];
  /** Every (user, connector) account in the sim cloud. */
  accounts: SimAccountRef[];
}

const must = async (what: string, reply: Promise<Reply>) => {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
};

/**
 * Admin: `connectors` (sim, with their settings) and one user per name. Each user:
 * a credential per connector, ubuntu → mysql / wordpress images with a native id on
 * every connector, and the wordpress-site deployment (db.1 + web.1, web.2 reading db:hostname).
 */
export async function setUpWorld(
  api: ApiClient,
  admin: string,
  users: readonly string[],
  connectors: readonly { name: string; settings: Record<string, unknown> }[],
  options: { defaultQuotaVms?: number; maxIaasWorkers?: number } = {},
): Promise<SoakWorld> {
  const configs = [];
  for (const { name, settings } of connectors) {
    const body = { name, kind: 'sim', defaultQuotaVms: options.defaultQuotaVms ?? 1000, maxIaasWorkers: options.maxIaasWorkers ?? 2, settings };
    configs.push(await must(`connector ${name}`, api.post('/connectors', admin, body)));
  }
  const world: SoakWorld = { users: [], accounts: [] };
  for (const name of users) {
    const created = await must(`user ${name}`, api.post('/users', admin, { name }));
    const user = { name, id: created.id as string, key: created.apiKey as string };
    world.users.push(user);
    for (const config of configs) {
      const credential = await must(
        'credential',
        api.post('/credentials', user.key, { connector: config.name, secrets: { apiKey: `${name}-key`, apiSecret: 'not-a-real-secret' } }),
      );
      world.accounts.push({ config, credentialId: credential.id, user: user.id });
    }
    const nativeIds = Object.fromEntries(configs.map((c) => [c.name, 'sim-ubuntu-22.04']));
    await must('image ubuntu', api.post('/images', user.key, { name: 'ubuntu', cloudImageIds: nativeIds }));
    await must(
      'image mysql',
      api.post('/images', user.key, { name: 'mysql', parent: 'ubuntu', recipe: 'apt-get install -y mysql-server', outputs: ['hostname'] }),
    );
    await must('image wordpress', api.post('/images', user.key, { name: 'wordpress', parent: 'ubuntu', inputs: ['db_host'] }));
    await must(
      'deployment',
      api.post('/deployments', user.key, {
        name: 'wordpress-site',
        nodes: [
          { name: 'db', image: 'mysql', multiplicity: 1 },
          { name: 'web', image: 'wordpress', multiplicity: 2, inputs: { db_host: 'db:hostname' } },
        ],
      }),
    );
  }
  return world;
}

/** The instances every wordpress-site run plans: `node.index`. */
export const WORDPRESS_INSTANCES = ['db.1', 'web.1', 'web.2'] as const;

/** Every run `key` may see, all pages. */
export async function listAllRuns(api: ApiClient, key: string): Promise<any[]> {
  const runs: any[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 1000; page++) {
    const reply = await api.get(`/runs?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, key);
    if (reply.status !== 200) throw new Error(`GET /runs: ${reply.status} ${reply.text}`);
    runs.push(...reply.body.items);
    cursor = reply.body.nextCursor;
    if (!cursor) return runs;
  }
  throw new Error('GET /runs did not stop paging');
}

/** A run's events, oldest first, all pages. */
export async function listRunEvents(api: ApiClient, key: string, runId: string): Promise<{ at: string; type: string; state?: string; message: string }[]> {
  const events: any[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 100; page++) {
    const reply = await api.get(`/runs/${runId}/events?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, key);
    if (reply.status !== 200) throw new Error(`GET /runs/${runId}/events: ${reply.status} ${reply.text}`);
    events.push(...reply.body.items);
    cursor = reply.body.nextCursor;
    if (!cursor) return events;
  }
  throw new Error(`events of ${runId} did not stop paging`);
}

/** Reads run `id` until `done(run)` holds or `timeoutMs` passes; returns the last read. */
export async function pollRun(api: ApiClient, key: string, id: string, done: (run: any) => boolean, timeoutMs: number, everyMs = 500): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await persistently(() => api.get(`/runs/${id}`, key), timeoutMs).then((r) => r.body);
    if (done(run) || Date.now() > deadline) return run;
    await sleep(everyMs);
  }
}

/**
 * Calls `call` until it gets an answer that is not a 5xx, retrying while the
 * server is down or restarting (connection refused or reset), for at most `timeoutMs`.
 */
export async function persistently<T extends { status: number }>(call: () => Promise<T>, timeoutMs = 120_000, everyMs = 300): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let problem: unknown;
    try {
      const reply = await call();
      if (reply.status < 500) return reply;
      problem = new Error(`status ${reply.status}`);
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      problem = error;
    }
    if (Date.now() > deadline) throw new Error(`no answer within ${timeoutMs} ms`, { cause: problem });
    await sleep(everyMs);
  }
}

/** fetch's failure when nothing listens or the connection drops mid-request. */
function isUnreachable(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}
