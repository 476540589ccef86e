/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP bodies are read field by field */
/**
 * The app store over HTTP on the local stack: a vendor's product on a sim connector,
 * published to the catalog with an estimated cost, sold through a store's buy link;
 * two customers' orders provisioned step by step on the vendor's credential and
 * quota, renewed, cancelled, warned and expired; a product whose runs always fail,
 * retried to the bound and Failed; and who sees what. Every response is checked
 * against the served OpenAPI document.
 *
 * Time: an order's term is days long. The expiry and the 7-day warning are reached by
 * moving the order's end (and its run's expiry) through the same store transaction a
 * renewal uses (`changeOrder` with `runExpiryItem` and `reminderItem`), written by this
 * test; the expiry schedule, FinalizeRun and the reminder schedule then act as they
 * would on the real date. No handler has a test-only path. The retry backoff is
 * shortened with its documented setting, SLIPWAY_ORDER_RETRY_BASE_SECONDS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { documentClient } from '#functions/commons/clients';
import { ENV } from '#functions/commons/env';
import { nextWarning } from '#functions/domain/orders';
import { changeOrder, listOrderEvents, reminderItem, runExpiryItem } from '#functions/store/orders';
import type { TableClient } from '#functions/store/table-client';
import { LOCAL_AWS } from '#infra/local/dynamodb';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser, createWordpressSite } from '#test/support/world';

let stack: LocalStack;
let api: ApiClient;
let table: TableClient;
let admin: string;
let vendor: { id: string; key: string };
let otherVendor: { id: string; key: string };
let alice: { id: string; key: string };
let bob: { id: string; key: string };
let vendorCredential: string;
let product: any;
let store: any;
const orders: { alice?: any; bob?: any } = {};

const CONNECTOR = 'sim-shop';
const BROKEN = 'sim-broken';
const euros = (amount: number) => ({ amount, currency: 'EUR' });
const PLANS = [
  { name: 'basic', monthlyFee: euros(1900), vmHourPrice: euros(4), termDays: 30, trialDays: 7 },
  { name: 'pro', monthlyFee: euros(4900), vmHourPrice: euros(3) },
];

async function must(reply: Promise<{ status: number; text: string; body: any }>): Promise<any> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

async function createVendor(name: string) {
  const made = await must(api.post('/users', admin, { name, role: 'vendor' }));
  return { id: made.id as string, key: made.apiKey as string };
}

/** Polls an order until it is in one of `states`, keeping every distinct steps list seen on the way. */
async function waitForOrder(id: string, key: string, states: string[], timeoutMs = 50_000): Promise<{ order: any; seen: number[] }> {
  const deadline = Date.now() + timeoutMs;
  const seen: number[] = [];
  for (;;) {
    const order = await must(api.get(`/orders/${id}`, key));
    if (seen.at(-1) !== order.steps.length) seen.push(order.steps.length);
    if (states.includes(order.state)) return { order, seen };
    if (Date.now() > deadline) throw new Error(`order ${id} is ${order.state}, not ${states.join('/')}: ${JSON.stringify(order.steps)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const quotaUsed = async (key: string, connector: string) =>
  (await must(api.get('/quotas', key))).items.find((q: { connector: string }) => q.connector === connector).used as number;

/** Moves an Active order's end, and its run's expiry, as a renewal does (one transaction), scheduling the warning due after `warnAfter`. */
async function moveOrderEnd(orderId: string, endsAt: string, warnAfter: Date) {
  const outcome = await changeOrder(table, orderId, new Date(), (order) => ({
    message: `end moved to ${endsAt}`,
    set: { endsAt },
    also: [
      runExpiryItem(table, order.run!, endsAt, { state: 'Ready', expiresAt: order.endsAt }),
      reminderItem(table, order, endsAt, nextWarning(endsAt, warnAfter)),
    ],
  }));
  if (!outcome.changed) throw new Error(`order ${orderId}'s end could not be moved`);
}

beforeAll(async () => {
  process.env[ENV.orderRetryBaseSeconds] = '1';
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  api = apiClient(stack.apiUrl);
  table = { doc: documentClient(new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, ...LOCAL_AWS })), name: LOCAL_TABLE };
  admin = stack.adminKey;
  vendor = await createVendor('acme');
  otherVendor = await createVendor('globex');
  alice = await createUser(api, admin, 'alice');
  bob = await createUser(api, admin, 'bob');
  await createSimConnector(api, admin, CONNECTOR);
  await createSimConnector(api, admin, BROKEN, { permanentFailureRate: 1 });
  await createWordpressSite(api, vendor.key, CONNECTOR);
  vendorCredential = (await must(api.get('/credentials', vendor.key))).items[0].id;
});

afterAll(async () => {
  await stack?.stop();
});

describe('the vendor role', () => {
  it('is a role an admin gives a user', async () => {
    // Act
    const made = await must(api.get(`/users/${vendor.id}`, admin));

    // Assess
    expect(made.role).toBe('vendor');
  });

  it('is needed to create a product: a plain user gets 403', async () => {
    // Act
    const reply = await api.post('/products', alice.key, { name: 'nope', deployment: 'x', connector: CONNECTOR, credential: 'cred_x', plans: PLANS });

    // Assess
    expect(reply.status).toBe(403);
  });
});

describe('a product', () => {
  it('is made as a draft from a deployment version, the connector and the vendor’s credential, with two plans', async () => {
    // Act
    product = await must(
      api.post('/products', vendor.key, {
        name: 'wordpress-hosting',
        description: 'WordPress and MySQL',
        deployment: 'wordpress-site',
        connector: CONNECTOR,
        credential: vendorCredential,
        plans: PLANS,
      }),
    );

    // Assess
    expect(product).toMatchObject({ state: 'draft', deploymentVersion: 1, credential: vendorCredential, owner: vendor.id, version: 1 });
    expect(product.deployment).toMatch(/^dep_/);
  });

  it('refuses a credential that is not the vendor’s, listing every bad field, and creates nothing', async () => {
    // Prepare
    const aliceCredential = await must(api.post('/credentials', alice.key, { connector: CONNECTOR, secrets: { apiKey: 'a', apiSecret: 'b' } }));

    // Act
    const reply = await api.post('/products', vendor.key, {
      name: 'stolen',
      deployment: 'no-such-deployment',
      connector: CONNECTOR,
      credential: aliceCredential.id,
      plans: [PLANS[0], PLANS[0]],
    });

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.contentType).toContain('application/problem+json');
    expect(reply.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.credential', 'body.deployment', 'body.plans.1.name']);
    expect((await must(api.get('/products', vendor.key))).items.map((p: any) => p.name)).toEqual(['wordpress-hosting']);
  });

  it('is hidden from customers and other vendors while it is a draft', async () => {
    // Act
    const customer = await api.get(`/products/${product.id}`, alice.key);
    const rival = await api.get(`/products/${product.id}`, otherVendor.key);

    // Assess
    expect(customer.status).toBe(404);
    expect(rival.status).toBe(404);
  });

  it('is published as a new version', async () => {
    // Act
    product = await must(api.post(`/products/${product.id}/publish`, vendor.key));

    // Assess
    expect(product).toMatchObject({ state: 'published', version: 2 });
    expect((await must(api.get(`/products/${product.id}?version=1`, vendor.key))).state).toBe('draft');
  });

  it('is the vendor’s alone to change: another vendor gets 403, a stale version 409', async () => {
    // Prepare
    const body = { name: 'wordpress-hosting', deployment: product.deployment, connector: CONNECTOR, credential: vendorCredential, plans: PLANS, version: 1 };

    // Act
    const rival = await api.put(`/products/${product.id}`, otherVendor.key, body);
    const stale = await api.put(`/products/${product.id}`, vendor.key, body);

    // Assess
    expect(rival.status).toBe(403);
    expect(stale.status).toBe(409);
  });
});

describe('the catalog', () => {
  it('shows the published product to customers without the credential, with an estimated hourly cost once there is a price list', async () => {
    // Prepare
    const before = (await must(api.get('/products', alice.key))).items;
    await must(api.put(`/prices/${CONNECTOR}`, admin, { currency: 'EUR', perHour: { large: 11 }, defaultPerHour: 3 }));

    // Act
    const reply = await api.get('/products', alice.key);

    // Assess
    expect(before.map((p: any) => p.id)).toEqual([product.id]);
    expect(before[0].estimatedHourlyCost).toBeUndefined();
    const [item] = reply.body.items;
    expect(item).toMatchObject({ id: product.id, state: 'published', estimatedHourlyCost: euros(9), plans: PLANS });
    expect(item.credential).toBeUndefined();
    expect(reply.text).not.toContain(vendorCredential);
  });

  it('lets any user read a price list and only an admin set one', async () => {
    // Act
    const read = await api.get(`/prices/${CONNECTOR}`, alice.key);
    const set = await api.put(`/prices/${CONNECTOR}`, vendor.key, { currency: 'EUR', perHour: {} });

    // Assess
    expect(read.body).toMatchObject({ connector: CONNECTOR, currency: 'EUR', defaultPerHour: 3, version: 1 });
    expect(set.status).toBe(403);
  });

  it('prices a launch’s preflight plan too', async () => {
    // Act
    const plan = await must(api.post('/runs?dryRun=true', vendor.key, { deployment: 'wordpress-site', connector: CONNECTOR }));

    // Assess
    expect(plan.estimatedHourlyCost).toEqual(euros(9));
  });
});

describe('a store', () => {
  it('is read without a key, showing only published products as the catalog does', async () => {
    // Prepare
    const draft = await must(
      api.post('/products', vendor.key, { name: 'draft-one', deployment: 'wordpress-site', connector: CONNECTOR, credential: vendorCredential, plans: PLANS }),
    );
    store = await must(api.post('/stores', vendor.key, { name: 'acme-shop', products: [product.id, draft.id] }));

    // Act
    const read = await api.get(`/stores/${store.id}`);

    // Assess
    expect(read.status).toBe(200);
    expect(read.body.products).toEqual([product.id]);
    expect(read.body.catalog.map((p: any) => p.id)).toEqual([product.id]);
    expect(read.text).not.toContain(vendorCredential);
  });

  it('refuses products that are not the vendor’s', async () => {
    // Act
    const reply = await api.post('/stores', otherVendor.key, { name: 'copycat', products: [product.id] });

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ path: 'body.products.0', message: expect.any(String) }]);
  });

  it('has a buy link that sends a browser to the console’s order page, and answers a client with the product', async () => {
    // Act
    const browser = await fetch(`${stack.apiUrl}/v1/stores/${store.id}/buy/${product.id}`, { redirect: 'manual', headers: { accept: 'text/html' } });
    const client = await api.call('GET', `/stores/${store.id}/buy/${product.id}`, undefined, undefined, { accept: 'application/json' });
    const unknown = await api.call('GET', `/stores/${store.id}/buy/prd_nope`, undefined, undefined, { accept: 'application/json' });

    // Assess
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe(`/#/order?product=${product.id}&store=${store.id}`);
    expect(client.status).toBe(200);
    expect(client.body).toMatchObject({ id: product.id, plans: PLANS, estimatedHourlyCost: euros(9) });
    expect(unknown.status).toBe(404);
  });
});

describe('two customers’ orders', () => {
  it('are placed Pending by each customer', async () => {
    // Act
    orders.alice = await must(api.post('/orders', alice.key, { product: product.id, plan: 'basic' }));
    orders.bob = await must(api.post('/orders', bob.key, { product: product.id, plan: 'pro' }));

    // Assess
    expect(orders.alice).toMatchObject({ state: 'Pending', customer: alice.id, vendor: vendor.id, productVersion: 2, plan: PLANS[0], attempts: 0 });
    expect(orders.alice.steps).toEqual([{ at: expect.any(String), state: 'Pending', message: expect.stringContaining('wordpress-hosting') }]);
  });

  it('become Active step by step, each with its run Ready on the vendor’s credential', async () => {
    // Act
    const [a, b] = await Promise.all([
      waitForOrder(orders.alice.id, alice.key, ['Active', 'Failed']),
      waitForOrder(orders.bob.id, bob.key, ['Active', 'Failed']),
    ]);
    orders.alice = a.order;
    orders.bob = b.order;

    // Assess: the customer saw the steps grow, Pending → Provisioning → Active, never going back
    expect(orders.alice.state).toBe('Active');
    expect(orders.bob.state).toBe('Active');
    expect(a.seen.length).toBeGreaterThan(1);
    const rank = { Pending: 0, Provisioning: 1, Active: 2 } as Record<string, number>;
    const states = orders.alice.steps.map((s: { state: string }) => rank[s.state]);
    expect(states).toEqual([...states].sort());
    expect(orders.alice.steps.map((s: { message: string }) => s.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^attempt 1 of 3: launching run run_/), expect.stringMatching(/^active: run run_\w+ is Ready, until /)]),
    );
    expect(orders.alice).toMatchObject({ attempts: 1, runs: [orders.alice.run], startsAt: expect.any(String), endsAt: expect.any(String) });
    expect(Date.parse(orders.alice.endsAt) - Date.parse(orders.alice.startsAt)).toBe(30 * 24 * 3600 * 1000);
    expect(orders.bob.endsAt).toBeUndefined();
  });

  it('show the customer the run’s addresses, its expiry at the order’s end, and never the vendor’s credential', async () => {
    // Act
    const run = await api.get(`/runs/${orders.alice.run}`, alice.key);
    const order = await api.get(`/orders/${orders.alice.id}`, alice.key);
    const credentials = await api.get('/credentials', alice.key);
    const events = await api.get(`/runs/${orders.alice.run}/events`, alice.key);

    // Assess
    expect(run.body).toMatchObject({ state: 'Ready', owner: alice.id, expiresAt: orders.alice.endsAt });
    expect(run.body.instances).toHaveLength(3);
    for (const instance of run.body.instances) expect(instance).toMatchObject({ connector: CONNECTOR, ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });
    for (const reply of [run, order, credentials, events]) expect(reply.text).not.toContain(vendorCredential);
  });

  it('count against the vendor’s quota, not the customers’', async () => {
    // Assess
    expect(await quotaUsed(vendor.key, CONNECTOR)).toBe(6);
    expect(await quotaUsed(alice.key, CONNECTOR)).toBe(0);
    expect(await quotaUsed(bob.key, CONNECTOR)).toBe(0);
  });

  it('are seen by the product’s vendor, who never sees the customers’ runs', async () => {
    // Act
    const listed = await must(api.get('/orders?as=vendor', vendor.key));
    const order = await api.get(`/orders/${orders.alice.id}`, vendor.key);
    const run = await api.get(`/runs/${orders.alice.run}`, vendor.key);
    const runs = await must(api.get('/runs', vendor.key));
    const cancel = await api.post(`/orders/${orders.alice.id}/cancel`, vendor.key);

    // Assess
    expect(listed.items.map((o: any) => o.id).sort()).toEqual([orders.alice.id, orders.bob.id].sort());
    expect(order.status).toBe(200);
    expect(run.status).toBe(404);
    expect(runs.items.map((r: any) => r.id)).not.toContain(orders.alice.run);
    expect(cancel.status).toBe(403);
  });

  it('are each their customer’s: another customer gets 404', async () => {
    // Act
    const read = await api.get(`/orders/${orders.alice.id}`, bob.key);
    const cancel = await api.post(`/orders/${orders.alice.id}/cancel`, bob.key);
    const mine = await must(api.get('/orders', bob.key));

    // Assess
    expect(read.status).toBe(404);
    expect(cancel.status).toBe(404);
    expect(mine.items.map((o: any) => o.id)).toEqual([orders.bob.id]);
  });

  it('renew by one term, the run’s expiry with it; a plan without a term cannot be renewed', async () => {
    // Act
    const renewed = await must(api.post(`/orders/${orders.alice.id}/renew`, alice.key));
    const run = await must(api.get(`/runs/${orders.alice.run}`, alice.key));
    const noTerm = await api.post(`/orders/${orders.bob.id}/renew`, bob.key);

    // Assess
    expect(Date.parse(renewed.endsAt) - Date.parse(orders.alice.endsAt)).toBe(30 * 24 * 3600 * 1000);
    expect(run.expiresAt).toBe(renewed.endsAt);
    expect(renewed.steps.at(-1).message).toBe(`renewed until ${renewed.endsAt}`);
    expect(noTerm.status).toBe(409);
    orders.alice = renewed;
  });
});

describe('a retired product', () => {
  it('leaves the catalog and cannot be ordered, while its orders keep running', async () => {
    // Act
    await must(api.post(`/products/${product.id}/retire`, vendor.key));
    const catalog = await must(api.get('/products', alice.key));
    const order = await api.post('/orders', alice.key, { product: product.id, plan: 'basic' });

    // Assess
    expect(catalog.items.map((p: any) => p.id)).not.toContain(product.id);
    expect(order.status).toBe(409);
    expect((await must(api.get(`/orders/${orders.alice.id}`, alice.key))).state).toBe('Active');
  });
});

describe('the end of an order', () => {
  it('is cancelled by its customer: Cancelled at once, its run terminated, the vendor’s quota freed', async () => {
    // Act
    const cancelled = await must(api.post(`/orders/${orders.bob.id}/cancel`, bob.key));
    const run = await api.waitForRun(orders.bob.run, bob.key, ['Done', 'Aborted']);
    const again = await api.post(`/orders/${orders.bob.id}/cancel`, bob.key);

    // Assess
    expect(cancelled).toMatchObject({ state: 'Cancelled', endedAt: expect.any(String) });
    expect(run.state).toBe('Done');
    expect(again.status).toBe(200);
    expect(await quotaUsed(vendor.key, CONNECTOR)).toBe(3);
  });

  it('is warned 7 days before, once, as a step and an order-warning event', async () => {
    // Prepare: the order is now 7 days (less a minute) from its end
    const endsAt = new Date(Date.now() + 7 * 24 * 3600 * 1000 - 60_000).toISOString();
    await moveOrderEnd(orders.alice.id, endsAt, new Date(Date.now() - 3600 * 1000));

    // Act
    const deadline = Date.now() + 20_000;
    let order = await must(api.get(`/orders/${orders.alice.id}`, alice.key));
    while (!order.steps.some((s: { message: string }) => s.message.startsWith('the order ends in 7 days')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      order = await must(api.get(`/orders/${orders.alice.id}`, alice.key));
    }
    await new Promise((r) => setTimeout(r, 1500)); // more reminder ticks: still one warning
    order = await must(api.get(`/orders/${orders.alice.id}`, alice.key));

    // Assess
    const warnings = order.steps.filter((s: { message: string }) => s.message.startsWith('the order ends in'));
    expect(warnings).toEqual([{ at: expect.any(String), state: 'Active', message: `the order ends in 7 days, at ${endsAt}` }]);
    const events = await listOrderEvents(table, orders.alice.id);
    expect(events.filter((e) => e.type === 'order-warning')).toHaveLength(1);
    expect(events.find((e) => e.type === 'order-warning')).toMatchObject({ order: orders.alice.id, owner: alice.id, vendor: vendor.id });
  });

  it('expires at its end: the expiry schedule terminates its run and the order is Expired at endsAt', async () => {
    // Prepare: its end is now
    const endsAt = new Date(Date.now() + 500).toISOString();
    await moveOrderEnd(orders.alice.id, endsAt, new Date());

    // Act
    const { order } = await waitForOrder(orders.alice.id, alice.key, ['Expired', 'Cancelled'], 30_000);
    const run = await api.waitForRun(orders.alice.run, alice.key, ['Done', 'Aborted']);

    // Assess
    expect(order).toMatchObject({ state: 'Expired', endedAt: endsAt });
    expect(order.steps.at(-1).message).toMatch(/^expired at /);
    expect(run.state).toBe('Done');
    expect(await quotaUsed(vendor.key, CONNECTOR)).toBe(0);
    expect((await api.post(`/orders/${orders.alice.id}/renew`, alice.key)).status).toBe(409);
  });
});

describe('an order whose runs keep failing', () => {
  it('is retried with a new run per attempt up to three, then Failed with the last run’s reason', async () => {
    // Prepare: a one-VM product on a cloud that refuses every create
    await must(api.post('/credentials', vendor.key, { connector: BROKEN, secrets: { apiKey: 'demo', apiSecret: 'x' } }));
    await must(api.post('/images', vendor.key, { name: 'broken-base', cloudImageIds: { [BROKEN]: 'sim-ubuntu-22.04' } }));
    await must(api.post('/deployments', vendor.key, { name: 'one-vm', nodes: [{ name: 'vm', image: 'broken-base' }] }));
    const brokenCredential = (await must(api.get('/credentials', vendor.key))).items.find((c: any) => c.connector === BROKEN).id;
    const doomed = await must(
      api.post('/products', vendor.key, { name: 'doomed', deployment: 'one-vm', connector: BROKEN, credential: brokenCredential, plans: PLANS }),
    );
    await must(api.post(`/products/${doomed.id}/publish`, vendor.key));

    // Act
    const placed = await must(api.post('/orders', alice.key, { product: doomed.id, plan: 'pro' }));
    const { order } = await waitForOrder(placed.id, alice.key, ['Failed', 'Active'], 55_000);

    // Assess
    expect(order).toMatchObject({ state: 'Failed', attempts: 3, endedAt: expect.any(String) });
    expect(new Set(order.runs).size).toBe(3);
    const last = await must(api.get(`/runs/${order.runs[2]}`, alice.key));
    expect(last.state).toBe('Aborted');
    expect(order.failureReason).toBe(last.abortReason);
    const messages = order.steps.map((s: { message: string }) => s.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^attempt 1 of 3 failed: .*; trying again in 1 s$/),
        expect.stringMatching(/^attempt 2 of 3 failed: .*; trying again in 2 s$/),
        expect.stringMatching(/^attempt 3 of 3: launching run /),
      ]),
    );
    const sfn = new SFNClient({ endpoint: stack.stepFunctionsEndpoint, ...LOCAL_AWS });
    const execution = await sfn.send(
      new DescribeExecutionCommand({ executionArn: `arn:aws:states:us-east-1:000000000000:execution:slipway-order:${placed.id}` }),
    );
    expect(execution).toMatchObject({ status: 'FAILED', error: 'OrderFailed', cause: last.abortReason });
  });
});

describe('bad input', () => {
  it('gets 400 problem+json listing every bad field, and changes nothing', async () => {
    // Prepare
    const productsBefore = (await must(api.get('/products', vendor.key))).items.length;
    const ordersBefore = (await must(api.get('/orders', alice.key))).items.length;
    const pricesBefore = await must(api.get(`/prices/${CONNECTOR}`, alice.key));

    // Act
    const badProduct = await api.post('/products', vendor.key, {
      name: 'Bad Name',
      deployment: 'wordpress-site',
      connector: CONNECTOR,
      credential: vendorCredential,
      plans: [{ name: 'x', monthlyFee: { amount: -1, currency: 'EUR' }, vmHourPrice: { amount: 1, currency: 'USD' } }],
    });
    const badOrder = await api.post('/orders', alice.key, { product: 'prd_nope', plan: 'basic' });
    const badPlan = await api.post('/orders', alice.key, { product: product.id, plan: 'gold' });
    const extra = await api.post('/orders', alice.key, { product: product.id, plan: 'basic', price: 0 });
    const badPrices = await api.put(`/prices/${CONNECTOR}`, admin, { currency: 'euro', perHour: { small: -2 } });

    // Assess
    for (const reply of [badProduct, badOrder, badPlan, extra, badPrices]) {
      expect(reply.status, reply.text).toBe(400);
      expect(reply.contentType).toContain('application/problem+json');
    }
    expect(badProduct.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.name', 'body.plans.0.monthlyFee.amount', 'body.plans.0.vmHourPrice']),
    );
    expect(badPrices.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.currency', 'body.perHour.small']);
    expect((await must(api.get('/products', vendor.key))).items).toHaveLength(productsBefore);
    expect((await must(api.get('/orders', alice.key))).items).toHaveLength(ordersBefore);
    expect(await must(api.get(`/prices/${CONNECTOR}`, alice.key))).toEqual(pricesBefore);
  });
});
