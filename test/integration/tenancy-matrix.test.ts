/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP bodies are read field by field */
/**
 * Tenancy as a matrix: every route of the route table, called by every kind of caller
 * against the owner's resources — the owner, a grantee (the owner's image and
 * deployment are shared with them to `run`), a stranger, a vendor (the one whose
 * product the owner bought: a stranger to everything else), an admin, and nobody (no key).
 * Nobody gets 401 except on the public routes; a stranger 404 where existence is
 * secret (403 where it is not, e.g. users and admin routes); the admin succeeds.
 * The routes come from the route table itself, so a route added there without a case
 * here fails the "has a case" test. Over HTTP against the local stack; every response
 * is checked against the served OpenAPI document too.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#functions/commons/clients';
import { HTTP_FUNCTIONS } from '#functions/http/route-table';
import { LOCAL_AWS } from '#infra/local/dynamodb';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '#infra/local/stack';
import { storeOrder, storeRun, storeUsage, vms } from '#test/support/billing-world';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser } from '#test/support/world';

type CallerName = 'owner' | 'grantee' | 'stranger' | 'vendor' | 'admin';
const CALLERS: CallerName[] = ['owner', 'grantee', 'stranger', 'vendor', 'admin'];

/** A call prepared against the owner's resources: path parameters, query and body. */
interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Case {
  /** Prepares one call (fresh resources where the call changes or removes them). */
  call: () => Promise<Call>;
  /** The status each caller gets; the vendor gets the stranger's unless the case says otherwise. */
  expect: Record<Exclude<CallerName, 'vendor'>, number> & { vendor?: number };
}

const PUBLIC = new Set(['GET /v1/health', 'GET /v1/openapi.json', 'GET /v1/stores/{id}', 'GET /v1/stores/{id}/buy/{product}']);

let stack: LocalStack;
let api: ApiClient;
const key: Record<CallerName | 'anonymous', string | undefined> = { owner: '', grantee: '', stranger: '', vendor: '', admin: '', anonymous: undefined };
const ids = { owner: '', grantee: '', stranger: '', vendor: '' };
let connector: string;
let image: any;
let deployment: any;
let credential: any;
let run: any;
/** The owner's invoices (two months' closes: one is paid, the other voided by the cases). */
const invoices = { pay: '', void: '' };
let raw: DynamoDBClient | undefined;
let webhook: any;
/** The vendor's products, store, and the owner's Active order of the published product. */
const app: { productBody: object; draft: any; published: any; store: any; order: any } = { productBody: {}, draft: {}, published: {}, store: {}, order: {} };

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
  // Subscribed to an event the owner's runs never make: no delivery is attempted.
  webhook: async () => must(api.post('/webhooks', key.owner, { url: 'https://hooks.example.com/matrix', events: ['slipway.quota.refused'] })),
  /** The vendor's draft product (of the vendor's own one-VM deployment), and a published one. */
  product: async () => must(api.post('/products', key.vendor, { ...app.productBody, name: unique('prd') })),
  published: async () => must(api.post(`/products/${(await fresh.product()).id}/publish`, key.vendor)),
  /** The owner's order of the vendor's product (Pending: its run is being launched). */
  order: async () => must(api.post('/orders', key.owner, { product: app.published.id, plan: 'basic' })),
  /** The owner's image with a recipe, built on the owner's `base` (shared with the grantee to `run`). */
  child: async () => {
    const made = await must(api.post('/images', key.owner, { name: unique('built'), parent: image.id, recipe: 'echo built' }));
    await share('images', made.id);
    return made;
  },
  /** A build of a fresh child image on the matrix connector (it runs on: each call gets its own). */
  build: async () => (await must(api.post(`/images/${(await fresh.child()).id}/build`, key.owner, { connectors: [connector] }))).builds[0],
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
/** The app store's vendor routes: plain users may not call them (403); the vendor and admins may. */
const vendorOnly = (status: number) => ({ owner: 403, grantee: 403, stranger: 403, vendor: status, admin: status });
/** The owner's order of the vendor's product: the vendor may read it, only its customer (and admins) change it. */
const orderRead = (status: number) => ({ ...privateTo(status), vendor: status });
const orderChange = (status: number) => ({ ...privateTo(status), vendor: 403 });

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
/** `YYYY-MM` of the month `back` months before this one. */
const monthsBack = (back: number) => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - back, 1)).toISOString().slice(0, 7);
/** Months closed by the setup (the local schedule closes last month by itself: these are further back). */
const BILLED = [monthsBack(3), monthsBack(4)] as const;
/** A month nobody closed yet, for each close the cases make. */
let closes = 10;
const unclosedMonth = () => monthsBack(++closes);

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
  // Everyone lists their own projects (what each holds is checked per caller below).
  'GET /v1/projects': { call: async () => ({}), expect: ok(200) },

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
  // A fresh Ready run each time: a scale moves its run to Scaling, where another scale is 409.
  'POST /v1/runs/{id}/scale': {
    call: async () => ({
      params: { id: (await api.waitForRun((await fresh.run()).id, key.owner!, ['Ready'])).id },
      body: { node: 'vm', multiplicity: 2 },
    }),
    expect: privateTo(202),
  },
  // A dry run: the migration's plan (a real one launches a run and terminates the old one; see live-runs.test.ts).
  'POST /v1/runs/{id}/migrate': {
    call: async () => ({ params: { id: run.id }, query: { dryRun: 'true' }, body: { connector } }),
    expect: privateTo(200),
  },
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

  // The owner's invoices are theirs (another user's, even the vendor's, 404); reports are the vendor's; admins do the rest.
  'GET /v1/invoices': { call: async () => ({ query: { customer: ids.owner } }), expect: ownerOrAdmin(200) },
  'GET /v1/invoices/{id}': { call: async () => ({ params: { id: invoices.pay } }), expect: privateTo(200) },
  'POST /v1/invoices/{id}/pay': { call: async () => ({ params: { id: invoices.pay } }), expect: adminOnly(200) },
  'POST /v1/invoices/{id}/void': { call: async () => ({ params: { id: invoices.void } }), expect: adminOnly(200) },
  'POST /v1/billing/close': { call: async () => ({ query: { month: unclosedMonth() } }), expect: adminOnly(201) },
  'GET /v1/billing/settings': { call: async () => ({}), expect: adminOnly(200) },
  'PUT /v1/billing/settings': { call: async () => ({ body: { feeBasisPoints: 1000 } }), expect: adminOnly(200) },
  'GET /v1/vendor/reports': { call: async () => ({ query: { month: BILLED[0], vendor: ids.vendor } }), expect: { ...adminOnly(200), vendor: 200 } },

  // Everyone registers their own webhooks; another user's are 404.
  'POST /v1/webhooks': { call: async () => ({ body: { url: 'https://hooks.example.com/new', events: ['slipway.quota.refused'] } }), expect: ok(201) },
  'GET /v1/webhooks': { call: async () => ({}), expect: ok(200) },
  'GET /v1/webhooks/{id}': { call: async () => ({ params: { id: webhook.id } }), expect: privateTo(200) },
  'DELETE /v1/webhooks/{id}': { call: async () => ({ params: { id: (await fresh.webhook()).id } }), expect: privateTo(204) },
  'GET /v1/webhooks/{id}/deliveries': { call: async () => ({ params: { id: webhook.id } }), expect: privateTo(200) },

  // The app store: vendors (and admins) make products and stores, anyone reads the published ones; stores are public.
  'POST /v1/products': { call: async () => ({ body: { ...app.productBody, name: unique('prd') } }), expect: vendorOnly(201) },
  'GET /v1/products': { call: async () => ({}), expect: ok(200) },
  'GET /v1/products/{id}': { call: async () => ({ params: { id: app.draft.id } }), expect: { ...privateTo(200), owner: 404, vendor: 200 } },
  'PUT /v1/products/{id}': {
    call: async () => {
      const made = await fresh.product();
      return { params: { id: made.id }, body: { ...app.productBody, name: made.name, version: 1 } };
    },
    expect: vendorOnly(200),
  },
  'POST /v1/products/{id}/publish': { call: async () => ({ params: { id: (await fresh.product()).id } }), expect: vendorOnly(200) },
  'POST /v1/products/{id}/retire': { call: async () => ({ params: { id: (await fresh.published()).id } }), expect: vendorOnly(200) },
  'POST /v1/stores': { call: async () => ({ body: { name: unique('store'), products: [app.published.id] } }), expect: vendorOnly(201) },
  'GET /v1/stores/{id}': { call: async () => ({ params: { id: app.store.id } }), expect: ok(200) },
  'GET /v1/stores/{id}/buy/{product}': {
    call: async () => ({ params: { id: app.store.id, product: app.published.id }, headers: { accept: 'application/json' } }),
    expect: ok(200),
  },
  'PUT /v1/prices/{connector}': {
    call: async () => ({ params: { connector }, body: { currency: 'EUR', perHour: {}, defaultPerHour: 2 } }),
    expect: adminOnly(200),
  },
  'GET /v1/prices/{connector}': { call: async () => ({ params: { connector } }), expect: ok(200) },
  // Anyone orders; an order is its customer's, and its product's vendor may read it.
  'POST /v1/orders': { call: async () => ({ body: { product: app.published.id, plan: 'basic' } }), expect: ok(201) },
  'GET /v1/orders': { call: async () => ({}), expect: ok(200) },
  'GET /v1/orders/{id}': { call: async () => ({ params: { id: app.order.id } }), expect: orderRead(200) },
  'POST /v1/orders/{id}/cancel': { call: async () => ({ params: { id: (await fresh.order()).id } }), expect: orderChange(200) },
  'POST /v1/orders/{id}/renew': { call: async () => ({ params: { id: app.order.id } }), expect: orderChange(200) },

  // Image builds: only the image's owner (or an admin) builds it; a build is its owner's (another user's is 404).
  'POST /v1/images/{id}/build': {
    call: async () => ({ params: { id: (await fresh.child()).id }, body: { connectors: [connector] } }),
    expect: sharedChange(202),
  },
  'GET /v1/builds': { call: async () => ({}), expect: ok(200) },
  'GET /v1/builds/{id}': { call: async () => ({ params: { id: (await fresh.build()).id } }), expect: privateTo(200) },
  'POST /v1/builds/{id}/cancel': { call: async () => ({ params: { id: (await fresh.build()).id } }), expect: privateTo(200) },
  'PUT /v1/builds/{id}/parameters/{parameter}': {
    call: async () => ({ params: { id: (await fresh.build()).id, parameter: 'builder.1:note' }, body: { value: 'hello' } }),
    expect: privateTo(200),
  },
};

const ROUTES = Object.values(HTTP_FUNCTIONS).flatMap((fn) => fn.routes as readonly string[]);

/** Sends `call` on `route` as `caller`, filling the route's path template. */
async function send(route: string, call: Call, caller: CallerName | 'anonymous') {
  const [method, template] = route.split(' ') as [string, string];
  const path = template.replace(/^\/v1/, '').replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(call.params?.[name] ?? `missing-${name}`));
  const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
  return api.call(method, `${path}${query}`, key[caller], call.body, call.headers);
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
  const vendor = await must(api.post('/users', key.admin, { name: unique('vendor'), role: 'vendor' }));
  [key.vendor, ids.vendor] = [vendor.apiKey, vendor.id];
  for (const who of CALLERS) await must(api.post('/credentials', key[who], { connector, secrets }));
  credential = (await must(api.get('/credentials', key.owner))).items[0];
  image = await must(api.post('/images', key.owner, { name: 'base', project: 'matrix', cloudImageIds: { [connector]: 'sim-ubuntu-22.04' } }));
  await share('images', image.id);
  deployment = await must(api.post('/deployments', key.owner, { name: 'site', nodes: [{ name: 'vm', image: image.id }] }));
  await share('deployments', deployment.id);
  webhook = await fresh.webhook();
  // The owner bought the vendor's product two months before BILLED[0]; its run used a VM then. Both months closed.
  raw = new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, ...LOCAL_AWS });
  const table = { doc: documentClient(raw), name: LOCAL_TABLE };
  const startsAt = `${BILLED[1]}-02T00:00:00.000Z`;
  await storeOrder(table, { id: 'ord_matrix', customer: ids.owner, vendor: ids.vendor, startsAt, run: 'run_matrix' });
  await storeRun(table, { id: 'run_matrix', customer: ids.owner, vendor: ids.vendor, order: 'ord_matrix', createdAt: startsAt });
  await storeUsage(
    table,
    { id: 'run_matrix', customer: ids.owner, order: 'ord_matrix' },
    vms(['vm.1', startsAt, `${BILLED[1]}-03T00:00:00.000Z`]),
    `${BILLED[1]}-03T00:01:00.000Z`,
  );
  for (const month of [...BILLED].reverse()) await must(api.post(`/billing/close?month=${month}`, key.admin));
  [invoices.void, invoices.pay] = (await must(api.get('/invoices', key.owner))).items.map((i: any) => i.id);
  run = await api.waitForRun((await fresh.run()).id, key.owner!, ['Ready', 'Aborted']);
  if (run.state !== 'Ready') throw new Error(`the owner's run did not get Ready: ${run.abortReason}`);
  // The app store: the vendor's one-VM product on the matrix connector, published, in a store; a price list; the owner's Active order.
  const vendorImage = await must(api.post('/images', key.vendor, { name: 'shop-base', cloudImageIds: { [connector]: 'sim-ubuntu-22.04' } }));
  const vendorDeployment = await must(api.post('/deployments', key.vendor, { name: 'shop-site', nodes: [{ name: 'vm', image: vendorImage.id }] }));
  const vendorCredential = (await must(api.get('/credentials', key.vendor))).items[0];
  const plans = [{ name: 'basic', monthlyFee: { amount: 900, currency: 'EUR' }, vmHourPrice: { amount: 2, currency: 'EUR' }, termDays: 30 }];
  app.productBody = { deployment: vendorDeployment.id, connector, credential: vendorCredential.id, plans };
  app.draft = await fresh.product();
  app.published = await fresh.published();
  app.store = await must(api.post('/stores', key.vendor, { name: 'matrix-shop', products: [app.published.id] }));
  await must(api.put(`/prices/${connector}`, key.admin, { currency: 'EUR', perHour: {}, defaultPerHour: 2 }));
  app.order = await fresh.order();
  for (let tries = 0; app.order.state !== 'Active' && tries < 240; tries++) {
    await new Promise((r) => setTimeout(r, 250));
    app.order = await must(api.get(`/orders/${app.order.id}`, key.owner));
  }
  if (app.order.state !== 'Active') throw new Error(`the owner's order did not get Active: ${JSON.stringify(app.order.steps)}`);
});

afterAll(async () => {
  raw?.destroy();
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

  it.each(CALLERS.map((caller) => [caller, tenancy.expect[caller] ?? tenancy.expect.stranger] as const))('answers the %s with %i', async (caller, status) => {
    // Prepare
    const call = await tenancy.call();

    // Act
    const reply = await send(route, call, caller);

    // Assess
    expect(reply.status, reply.text).toBe(status);
  });
});

describe('projects are the owner’s namespace', () => {
  /** What each caller sees of the owner's project `matrix` (its image `base`): the admin lists everyone's resources, paths resolve in the caller's own. */
  const seen: Record<CallerName, { projects: string[]; listed: number; byPath: number; byId: number }> = {
    owner: { projects: ['matrix'], listed: 1, byPath: 200, byId: 200 },
    grantee: { projects: [], listed: 0, byPath: 404, byId: 200 },
    stranger: { projects: [], listed: 0, byPath: 404, byId: 404 },
    vendor: { projects: [], listed: 0, byPath: 404, byId: 404 },
    admin: { projects: [], listed: 1, byPath: 404, byId: 200 },
  };

  it.each(CALLERS)('shows the %s what is theirs to see of the owner’s project', async (caller) => {
    // Act
    const projects = await must(api.get('/projects', key[caller]));
    const listed = await must(api.get('/images?project=matrix', key[caller]));
    const byPath = await api.get(`/images/${encodeURIComponent('matrix/base')}`, key[caller]);
    const byId = await api.get(`/images/${image.id}`, key[caller]);
    // Assess
    expect({
      projects: projects.items.map((p: any) => p.path),
      listed: listed.items.filter((i: any) => i.id === image.id).length,
      byPath: byPath.status,
      byId: byId.status,
    }).toEqual(seen[caller]);
  });
});
