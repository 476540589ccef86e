/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP bodies are read field by field */
/**
 * Tenancy as a matrix: every route of the route table, called by every kind of caller
 * against the owner's resources — the owner, a grantee (the owner's image and
 * deployment are shared with them to `run`), a stranger, an admin, and nobody (no key).
 * Nobody gets 401 except on the public routes; a stranger 404 where existence is
 * secret (403 where it is not, e.g. users and admin routes); the admin succeeds.
 * The routes come from the route table itself, so a route added there without a case
 * here fails the "has a case" test. Over HTTP against the local stack; every response
 * is checked against the served OpenAPI document too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS } from '#functions/http/route-table';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser } from '#test/support/world';

type CallerName = 'owner' | 'grantee' | 'stranger' | 'admin';
const CALLERS: CallerName[] = ['owner', 'grantee', 'stranger', 'admin'];

/** A call prepared against the owner's resources: path parameters, query and body. */
interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

interface Case {
  /** Prepares one call (fresh resources where the call changes or removes them). */
  call: () => Promise<Call>;
  /** The status each caller gets. */
  expect: Record<CallerName, number>;
}

const PUBLIC = new Set(['GET /v1/health', 'GET /v1/openapi.json']);

let stack: LocalStack;
let api: ApiClient;
const key: Record<CallerName | 'anonymous', string | undefined> = { owner: '', grantee: '', stranger: '', admin: '', anonymous: undefined };
const ids = { owner: '', grantee: '', stranger: '' };
let connector: string;
let image: any;
let deployment: any;
let credential: any;
let run: any;

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

async function must(reply: Promise<{ status: number; text: string; body: any }>): Promise<any> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

const secrets = { apiKey: 'demo', apiSecret: 'not-a-secret' };
const share = (what: string, id: string) => must(api.put(`/${what}/${id}/grants`, key.owner, { user: ids.grantee, access: 'run' }));

/** Fresh resources of the owner, for the calls that change or remove what they reach. */
const fresh = {
  connector: async () => (await createSimConnector(api, key.admin!, unique('sim'))).name as string,
  credential: async () => must(api.post('/credentials', key.owner, { connector: await fresh.connector(), secrets })),
  image: async () => {
    const made = await must(api.post('/images', key.owner, { name: unique('img'), cloudImageIds: { [connector]: 'sim-ubuntu-22.04' } }));
    await share('images', made.id);
    return made;
  },
  deployment: async () => {
    const made = await must(api.post('/deployments', key.owner, { name: unique('dep'), nodes: [{ name: 'vm', image: image.id }] }));
    await share('deployments', made.id);
    return made;
  },
  run: async () => must(api.post('/runs', key.owner, { deployment: deployment.id, connector })),
  user: async () => (await createUser(api, key.admin!, unique('user'))).id,
  apiKey: async () => (await must(api.post(`/users/${ids.owner}/keys`, key.admin))).key.id as string,
};

const ok = (status: number) => ({ owner: status, grantee: status, stranger: status, admin: status });
const adminOnly = (status: number) => ({ owner: 403, grantee: 403, stranger: 403, admin: status });
/** Routes on the owner's own data that another user may not name (403: user ids are not secret). */
const ownerOrAdmin = (status: number) => ({ owner: status, grantee: 403, stranger: 403, admin: status });
/** The owner's private resources (credentials, runs): 404 for anyone else. */
const privateTo = (status: number) => ({ owner: status, grantee: 404, stranger: 404, admin: status });
/** The owner's shared images and deployments: the grantee may read and use them, never change them. */
const sharedRead = (status: number) => ({ owner: status, grantee: status, stranger: 404, admin: status });
const sharedChange = (status: number) => ({ owner: status, grantee: 403, stranger: 404, admin: status });
/** Naming the owner's shared resource in a body: a stranger's reference is invalid (400). */
const sharedUse = (status: number) => ({ owner: status, grantee: status, stranger: 400, admin: status });

const versionedCases = (
  what: 'images' | 'deployments',
  make: () => Promise<any>,
  current: () => any,
  replacement: (made: any) => object,
): Record<string, Case> => ({
  [`GET /v1/${what}`]: { call: async () => ({}), expect: ok(200) },
  [`GET /v1/${what}/{id}`]: { call: async () => ({ params: { id: current().id } }), expect: sharedRead(200) },
  [`PUT /v1/${what}/{id}`]: {
    call: async () => {
      const made = await make();
      return { params: { id: made.id }, body: { ...replacement(made), version: 1 } };
    },
    expect: sharedChange(200),
  },
  [`DELETE /v1/${what}/{id}`]: { call: async () => ({ params: { id: (await make()).id } }), expect: sharedChange(204) },
  [`GET /v1/${what}/{id}/versions`]: { call: async () => ({ params: { id: current().id } }), expect: sharedRead(200) },
  [`PUT /v1/${what}/{id}/grants`]: {
    call: async () => ({ params: { id: (await make()).id }, body: { user: ids.stranger, access: 'read' } }),
    expect: sharedChange(200),
  },
  [`GET /v1/${what}/{id}/grants`]: { call: async () => ({ params: { id: current().id } }), expect: sharedChange(200) },
  [`DELETE /v1/${what}/{id}/grants/{user}`]: { call: async () => ({ params: { id: (await make()).id, user: ids.grantee } }), expect: sharedChange(204) },
});

const today = new Date().toISOString().slice(0, 10);

/** Every route's case, by route key. */
const CASES: Record<string, Case> = {
  'GET /v1/health': { call: async () => ({}), expect: ok(200) },
  'GET /v1/openapi.json': { call: async () => ({}), expect: ok(200) },

  'POST /v1/users': { call: async () => ({ body: { name: unique('new-user') } }), expect: adminOnly(201) },
  'GET /v1/users': { call: async () => ({}), expect: adminOnly(200) },
  'GET /v1/users/{id}': { call: async () => ({ params: { id: ids.owner } }), expect: adminOnly(200) },
  'DELETE /v1/users/{id}': { call: async () => ({ params: { id: await fresh.user() } }), expect: adminOnly(204) },
  'POST /v1/users/{id}/keys': { call: async () => ({ params: { id: ids.owner } }), expect: ownerOrAdmin(201) },
  'GET /v1/users/{id}/keys': { call: async () => ({ params: { id: ids.owner } }), expect: ownerOrAdmin(200) },
  'DELETE /v1/users/{id}/keys/{keyId}': { call: async () => ({ params: { id: ids.owner, keyId: await fresh.apiKey() } }), expect: ownerOrAdmin(204) },

  'POST /v1/connectors': {
    call: async () => ({ body: { name: unique('sim'), kind: 'sim', defaultQuotaVms: 1, maxIaasWorkers: 1 } }),
    expect: adminOnly(201),
  },
  'GET /v1/connectors': { call: async () => ({}), expect: ok(200) },
  'GET /v1/connectors/{name}': { call: async () => ({ params: { name: connector } }), expect: ok(200) },
  'PUT /v1/connectors/{name}': {
    call: async () => ({ params: { name: await fresh.connector() }, body: { kind: 'sim', defaultQuotaVms: 5, maxIaasWorkers: 1, version: 1 } }),
    expect: adminOnly(200),
  },
  'DELETE /v1/connectors/{name}': { call: async () => ({ params: { name: await fresh.connector() } }), expect: adminOnly(204) },
  // Asked with the owner's credential: only the owner and the admin may name it.
  'GET /v1/connectors/{name}/images': { call: async () => ({ params: { name: connector }, query: { credential: credential.id } }), expect: privateTo(200) },
  'GET /v1/connectors/{name}/instance-types': {
    call: async () => ({ params: { name: connector }, query: { credential: credential.id } }),
    expect: privateTo(200),
  },
  'GET /v1/connectors/{name}/zones': { call: async () => ({ params: { name: connector }, query: { credential: credential.id } }), expect: privateTo(200) },
  'GET /v1/connector-kinds': { call: async () => ({}), expect: ok(200) },
  'GET /v1/orphans': { call: async () => ({}), expect: adminOnly(200) },

  // Everyone stores their own credential for a connector they have none for.
  'POST /v1/credentials': { call: async () => ({ body: { connector: await fresh.connector(), secrets } }), expect: ok(201) },
  'GET /v1/credentials': { call: async () => ({ query: { user: ids.owner } }), expect: ownerOrAdmin(200) },
  'GET /v1/credentials/{id}': { call: async () => ({ params: { id: credential.id } }), expect: privateTo(200) },
  'PUT /v1/credentials/{id}': { call: async () => ({ params: { id: (await fresh.credential()).id }, body: { secrets, version: 1 } }), expect: privateTo(200) },
  'DELETE /v1/credentials/{id}': { call: async () => ({ params: { id: (await fresh.credential()).id } }), expect: privateTo(204) },

  // Building on the owner's image: the grantee may (a `run` grant), a stranger's reference is invalid.
  'POST /v1/images': { call: async () => ({ body: { name: unique('child'), parent: image.id } }), expect: sharedUse(201) },
  ...versionedCases(
    'images',
    fresh.image,
    () => image,
    (made) => ({ name: made.name, recipe: 'echo changed' }),
  ),
  'POST /v1/deployments': { call: async () => ({ body: { name: unique('uses'), nodes: [{ name: 'vm', image: image.id }] } }), expect: sharedUse(201) },
  ...versionedCases(
    'deployments',
    fresh.deployment,
    () => deployment,
    (made) => ({ name: made.name, nodes: [{ name: 'vm', image: image.id, multiplicity: 2 }] }),
  ),

  'POST /v1/runs': { call: async () => ({ body: { deployment: deployment.id, connector } }), expect: sharedUse(201) },
  'GET /v1/runs': { call: async () => ({}), expect: ok(200) },
  'GET /v1/runs/{id}': { call: async () => ({ params: { id: run.id } }), expect: privateTo(200) },
  'POST /v1/runs/{id}/terminate': { call: async () => ({ params: { id: (await fresh.run()).id } }), expect: privateTo(202) },
  'GET /v1/runs/{id}/events': { call: async () => ({ params: { id: run.id } }), expect: privateTo(200) },
  'GET /v1/runs/{id}/instances': { call: async () => ({ params: { id: run.id } }), expect: privateTo(200) },
  'GET /v1/runs/{id}/parameters/{parameter}': { call: async () => ({ params: { id: run.id, parameter: 'vm.1:hostname' } }), expect: privateTo(200) },
  'PUT /v1/runs/{id}/parameters/{parameter}': {
    call: async () => ({ params: { id: run.id, parameter: 'vm.1:note' }, body: { value: 'hello' } }),
    expect: privateTo(200),
  },

  'GET /v1/quotas': { call: async () => ({ query: { user: ids.owner } }), expect: ownerOrAdmin(200) },
  'PUT /v1/quotas/{user}/{connector}': { call: async () => ({ params: { user: ids.owner, connector }, body: { maxVms: 50 } }), expect: adminOnly(200) },
  'GET /v1/usage': { call: async () => ({ query: { from: today, to: today, user: ids.owner } }), expect: ownerOrAdmin(200) },
};

const ROUTES = Object.values(HTTP_FUNCTIONS).flatMap((fn) => fn.routes as readonly string[]);

/** Sends `call` on `route` as `caller`, filling the route's path template. */
async function send(route: string, call: Call, caller: CallerName | 'anonymous') {
  const [method, template] = route.split(' ') as [string, string];
  const path = template.replace(/^\/v1/, '').replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(call.params?.[name] ?? `missing-${name}`));
  const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
  return api.call(method, `${path}${query}`, key[caller], call.body);
}

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  api = apiClient(stack.apiUrl);
  key.admin = stack.adminKey;
  connector = (await createSimConnector(api, key.admin, 'sim-matrix', {}, { defaultQuotaVms: 100 })).name;
  for (const who of ['owner', 'grantee', 'stranger'] as const) {
    const user = await createUser(api, key.admin, unique(who));
    [key[who], ids[who]] = [user.key, user.id];
  }
  for (const who of CALLERS) await must(api.post('/credentials', key[who], { connector, secrets }));
  credential = (await must(api.get('/credentials', key.owner))).items[0];
  image = await must(api.post('/images', key.owner, { name: 'base', cloudImageIds: { [connector]: 'sim-ubuntu-22.04' } }));
  await share('images', image.id);
  deployment = await must(api.post('/deployments', key.owner, { name: 'site', nodes: [{ name: 'vm', image: image.id }] }));
  await share('deployments', deployment.id);
  run = await api.waitForRun((await fresh.run()).id, key.owner!, ['Ready', 'Aborted']);
  if (run.state !== 'Ready') throw new Error(`the owner's run did not get Ready: ${run.abortReason}`);
});

afterAll(async () => {
  await stack?.stop();
});

describe.each(ROUTES)('%s', (route) => {
  const tenancy = CASES[route];

  it('has a case in the tenancy matrix', () => {
    expect(tenancy, `add a case for ${route} to CASES`).toBeDefined();
  });

  if (!tenancy) return;

  it(PUBLIC.has(route) ? 'answers a caller without a key (public)' : 'refuses a caller without a key (401)', async () => {
    // Act
    const reply = await send(route, await tenancy.call(), 'anonymous');

    // Assess
    expect(reply.status).toBe(PUBLIC.has(route) ? 200 : 401);
  });

  it.each(CALLERS.map((caller) => [caller, tenancy.expect[caller]] as const))('answers the %s with %i', async (caller, status) => {
    // Prepare
    const call = await tenancy.call();

    // Act
    const reply = await send(route, call, caller);

    // Assess
    expect(reply.status, reply.text).toBe(status);
  });
});
