/* eslint-disable @typescript-eslint/no-explicit-any -- test client: response bodies are asserted field by field */
/**
 * Events out, end to end on the local stack: the table's stream → the publisher →
 * the local EventBridge → webhook deliveries, POSTed to receivers on 127.0.0.1 that
 * check every signature with the secret from the create's answer and count events
 * by id. Also the API's refusals, tenancy, limits, and retries with backoff.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simKind } from '#connectors/sim/sim-kind';
import { documentClient } from '#functions/commons/clients';
import type { SlipwayEvent } from '#functions/domain/events';
import { LOCAL_AWS } from '#infra/local/dynamodb';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser, createWordpressSite } from '#test/support/world';

interface Delivery {
  path: string;
  event: SlipwayEvent;
  attempt: number;
  /** Checked here, independently of Slipway's own code: sha256= hex HMAC-SHA256 of "<timestamp>.<body>". */
  signed: boolean;
  headersMatch: boolean;
}

/** Receivers on 127.0.0.1, one per path, each with its secret; `failFirst` answers 500 to the first n attempts of each event. */
class Receivers {
  readonly secrets = new Map<string, string>();
  readonly failFirst = new Map<string, number>();
  /** Deliveries answered 200, in the order they arrived. */
  readonly accepted: Delivery[] = [];
  /** Requests per `<path> <event id>`. */
  readonly requests = new Map<string, number>();
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = request.url ?? '';
        const secret = this.secrets.get(path) ?? '';
        const timestamp = String(request.headers['slipway-timestamp']);
        const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
        const event = JSON.parse(body) as SlipwayEvent;
        const key = `${path} ${event.id}`;
        const n = (this.requests.get(key) ?? 0) + 1;
        this.requests.set(key, n);
        if (n <= (this.failFirst.get(path) ?? 0)) {
          response.writeHead(500).end('not yet');
          return;
        }
        this.accepted.push({
          path,
          event,
          attempt: Number(request.headers['slipway-attempt']),
          signed: request.headers['slipway-signature'] === expected && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300,
          headersMatch:
            request.headers['slipway-event-id'] === event.id &&
            request.headers['slipway-event-type'] === event.type &&
            request.headers['content-type'] === 'application/json',
        });
        response.writeHead(204).end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  at(path: string): Delivery[] {
    return this.accepted.filter((d) => d.path === path);
  }

  stop(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

let stack: LocalStack;
let api: ApiClient;
let admin: string;
let alice: { id: string; key: string };
let bob: { id: string; key: string };
const receivers = new Receivers();

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The sim cloud account behind a user's credential, opened as the test's own hand in the cloud. */
async function simCloud(key: string, connector: string) {
  const table = { doc: documentClient(new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, ...LOCAL_AWS })), name: LOCAL_TABLE };
  const config = (await api.get(`/connectors/${connector}`, admin)).body;
  const credentialId = (await api.get('/credentials', key)).body.items.find((c: { connector: string }) => c.connector === connector).id;
  return simKind.open({ config, credentialId, secrets: { apiKey: 'demo', apiSecret: 'x' } }, { table, now: () => new Date() });
}

const createWebhook = (key: string, body: Record<string, unknown>) => api.post('/webhooks', key, body);
const webhookCount = async (key: string) => (await api.get('/webhooks', key)).body.items.length;

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 500, webhookRetryBaseMs: 200 });
  api = apiClient(stack.apiUrl);
  admin = stack.adminKey;
  await receivers.start();
  alice = await createUser(api, admin, 'alice');
  bob = await createUser(api, admin, 'bob');
  await createSimConnector(api, admin, 'sim-eu');
  await createWordpressSite(api, alice.key, 'sim-eu');
  await createWordpressSite(api, bob.key, 'sim-eu');
});

afterAll(async () => {
  await stack?.stop();
  await receivers.stop();
});

describe('registering webhooks', () => {
  it.each([
    ['an ftp:// URL', { url: 'ftp://hooks.example.com/x', events: ['*'] }, 'body.url'],
    ['plain http:// to a public host', { url: 'http://hooks.example.com/x', events: ['*'] }, 'body.url'],
    ['a private address', { url: 'https://10.0.0.5/hook', events: ['*'] }, 'body.url'],
    ['the metadata address', { url: 'https://169.254.169.254/latest/meta-data', events: ['*'] }, 'body.url'],
    ['an unknown event type', { url: 'https://hooks.example.com/x', events: ['slipway.nope'] }, 'body.events.0'],
    ['no event type', { url: 'https://hooks.example.com/x', events: [] }, 'body.events'],
    ['a field it does not know', { url: 'https://hooks.example.com/x', events: ['*'], secret: 'mine' }, 'body'],
  ])('refuses %s with 400 problem+json, and makes nothing', async (_, body, path) => {
    const reply = await createWebhook(alice.key, body);

    expect(reply.status).toBe(400);
    expect(reply.contentType).toContain('application/problem+json');
    expect(reply.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${path}`))]));
    expect(await webhookCount(alice.key)).toBe(0);
  });

  it("lets only an admin receive every user's events (403), making nothing", async () => {
    const reply = await createWebhook(alice.key, { url: `${receivers.url}/x`, events: ['*'], allUsers: true });

    expect(reply.status).toBe(403);
    expect(await webhookCount(alice.key)).toBe(0);
  });

  it('holds at most 10 webhooks per user (409), and frees a place on delete', async () => {
    const carol = await createUser(api, admin, 'carol');
    const made = [];
    for (let i = 0; i < 10; i++) made.push((await createWebhook(carol.key, { url: `https://hooks.example.com/${i}`, events: ['slipway.drift'] })).body.id);

    const eleventh = await createWebhook(carol.key, { url: 'https://hooks.example.com/10', events: ['slipway.drift'] });
    const deleted = await api.delete(`/webhooks/${made[0]}`, carol.key);
    const again = await createWebhook(carol.key, { url: 'https://hooks.example.com/10', events: ['slipway.drift'] });

    expect(eleventh.status).toBe(409);
    expect(eleventh.contentType).toContain('application/problem+json');
    expect(deleted.status).toBe(204);
    expect((await api.get(`/webhooks/${made[0]}`, carol.key)).status).toBe(404);
    expect(again.status).toBe(201);
    expect(await webhookCount(carol.key)).toBe(10);
  });
});

describe('a run of wordpress-site with a webhook', () => {
  let hook: { id: string; secret: string };
  let runId: string;
  let orphanId: string;

  it('shows the signing secret once, in the 201, and never again; another user gets 404', async () => {
    const created = await createWebhook(alice.key, { url: `${receivers.url}/alice`, events: ['*'], description: 'everything' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: `${receivers.url}/alice`,
      events: ['*'],
      owner: alice.id,
      allUsers: false,
      secret: expect.stringMatching(/^whsec_/),
    });
    hook = { id: created.body.id, secret: created.body.secret };
    receivers.secrets.set('/alice', hook.secret);
    const everyone = await createWebhook(admin, { url: `${receivers.url}/admin`, events: ['slipway.run.state'], allUsers: true });
    receivers.secrets.set('/admin', everyone.body.secret);

    const read = await api.get(`/webhooks/${hook.id}`, alice.key);
    const listed = await api.get('/webhooks', alice.key);
    const asAdmin = await api.get(`/webhooks/${hook.id}`, admin);
    const asBob = await Promise.all([
      api.get(`/webhooks/${hook.id}`, bob.key),
      api.get(`/webhooks/${hook.id}/deliveries`, bob.key),
      api.delete(`/webhooks/${hook.id}`, bob.key),
    ]);

    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');
    for (const reply of [read, listed, asAdmin]) expect(reply.text).not.toContain(hook.secret);
    expect(listed.body.items.map((w: { id: string }) => w.id)).toEqual([hook.id]);
    expect(asAdmin.status).toBe(200);
    expect(asBob.map((r) => r.status)).toEqual([404, 404, 404]);
    expect((await api.get('/webhooks', bob.key)).body.items).toEqual([]);
  });

  it('goes to Ready; drift and an orphan found by the monitor are events too', async () => {
    runId = (await api.post('/runs', alice.key, { deployment: 'wordpress-site', connector: 'sim-eu' })).body.id;
    const run = await api.waitForRun(runId, alice.key, ['Ready', 'Aborted']);
    expect(run.state).toBe('Ready');

    // Behind Slipway's back: web.2's VM is terminated, and a VM tagged for this run that no instance owns appears.
    const cloud = await simCloud(alice.key, 'sim-eu');
    await cloud.terminateInstance(run.instances.find((i: { name: string }) => i.name === 'web.2').cloudId);
    orphanId = (
      await cloud.createInstance({
        tag: { run: runId, node: 'web', index: 9 },
        name: 'web.9',
        imageId: 'sim-ubuntu-22.04',
        boot: { outputs: [], inputs: {}, readiness: 'running' },
      })
    ).cloudId;

    const drift = await waitFor('the drift event', () => receivers.at('/alice').find((d) => d.event.type === 'slipway.drift'));
    const orphan = await waitFor('the orphan event', () => receivers.at('/alice').find((d) => d.event.type === 'slipway.orphan'));
    expect(drift.event).toMatchObject({
      run: runId,
      owner: alice.id,
      instance: 'web.2',
      instanceState: 'terminated',
      message: expect.stringMatching(/^web\.2: VM is/),
    });
    expect(orphan.event).toMatchObject({ run: runId, owner: alice.id, cloudId: orphanId, instance: 'web.9', connector: 'sim-eu' });
  });

  it('delivers each run state change once, in order, and every instance change, all signed', async () => {
    await api.post(`/runs/${runId}/terminate`, alice.key);
    expect((await api.waitForRun(runId, alice.key, ['Done', 'Aborted'])).state).toBe('Done');
    const ofRun = (path: string) => receivers.at(path).filter((d) => d.event.run === runId);
    await waitFor('the Done event', () => ofRun('/alice').some((d) => d.event.state === 'Done') && ofRun('/admin').some((d) => d.event.state === 'Done'));

    const states = ofRun('/alice').filter((d) => d.event.type === 'slipway.run.state');
    const instances = ofRun('/alice').filter((d) => d.event.type === 'slipway.instance.state');
    const ids = receivers.at('/alice').map((d) => d.event.id);

    expect(states.map((d) => d.event.state)).toEqual(['Initializing', 'Provisioning', 'Executing', 'Ready', 'Finalizing', 'Done']);
    expect(states.slice(1).map((d) => d.event.previousState)).toEqual(['Initializing', 'Provisioning', 'Executing', 'Ready', 'Finalizing']);
    expect(new Set(ids).size).toBe(ids.length);
    for (const name of ['db.1', 'web.1', 'web.2']) {
      const seen = instances.filter((d) => d.event.instance === name).map((d) => d.event.instanceState);
      expect(seen, name).toEqual(expect.arrayContaining(['running', 'terminated']));
    }
    expect(instances.filter((d) => /created as/.test(d.event.message))).toHaveLength(3);
    expect(receivers.accepted.every((d) => d.signed && d.headersMatch && d.attempt === 1)).toBe(true);
    expect(ofRun('/alice').every((d) => d.event.owner === alice.id)).toBe(true);
    // The admin's all-users webhook gets alice's run state changes too, and nothing else (it subscribed to those only).
    expect(ofRun('/admin').map((d) => d.event.state)).toEqual(['Initializing', 'Provisioning', 'Executing', 'Ready', 'Finalizing', 'Done']);
  });

  it('lists the deliveries newest first, delivered at the first attempt, paginated', async () => {
    const received = receivers.at('/alice');
    const pages: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await api.get(`/webhooks/${hook.id}/deliveries?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, alice.key)).body;
      pages.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);

    expect(pages).toHaveLength(received.length);
    expect(new Set(pages.map((d) => d.eventId))).toEqual(new Set(received.map((d) => d.event.id)));
    for (const delivery of pages) {
      expect(delivery).toMatchObject({ webhook: hook.id, status: 'delivered', attempts: 1, lastStatusCode: 204, deliveredAt: expect.any(String) });
      expect(delivery).not.toHaveProperty('nextAttemptAt');
      expect(delivery).not.toHaveProperty('payload');
    }
    const times = pages.map((d) => d.eventAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('makes no delivery to a deleted webhook', async () => {
    const before = receivers.at('/alice').length;
    await createSimConnector(api, admin, 'sim-elsewhere');

    const deleted = await api.delete(`/webhooks/${hook.id}`, alice.key);
    // Alice has no credential there: the run ends Aborted at once, its events going to the admin's webhook only.
    const later = (await api.post('/runs', alice.key, { deployment: 'wordpress-site', connector: 'sim-elsewhere' })).body.id;
    await waitFor('the admin to see the later run end', () => receivers.at('/admin').some((d) => d.event.run === later && d.event.state === 'Aborted'));

    expect(deleted.status).toBe(204);
    expect((await api.get(`/webhooks/${hook.id}`, alice.key)).status).toBe(404);
    expect((await api.get(`/webhooks/${hook.id}/deliveries`, alice.key)).status).toBe(404);
    expect(receivers.at('/alice').length).toBe(before);
  });
});

describe('a receiver that fails', () => {
  it('gets each event at the third attempt after two 500s, and a quota refusal is an event', async () => {
    const created = await createWebhook(bob.key, { url: `${receivers.url}/flaky`, events: ['slipway.run.state', 'slipway.quota.refused'] });
    receivers.secrets.set('/flaky', created.body.secret);
    receivers.failFirst.set('/flaky', 2);
    expect((await api.put(`/quotas/${bob.id}/sim-eu`, admin, { maxVms: 2 })).status).toBe(200);

    const launched = await api.post('/runs', bob.key, { deployment: 'wordpress-site', connector: 'sim-eu' });
    const run = await api.waitForRun(launched.body.id, bob.key, ['Done', 'Aborted']);
    const refused = await waitFor('the quota refusal', () => receivers.at('/flaky').find((d) => d.event.type === 'slipway.quota.refused'));
    await waitFor('the Aborted event', () => receivers.at('/flaky').some((d) => d.event.state === 'Aborted'));

    expect(run.state).toBe('Aborted');
    expect(refused.event).toMatchObject({
      run: run.id,
      owner: bob.id,
      message: expect.stringMatching(/^Quota exceeded: quota exceeded on sim-eu: 0 of 2 VMs in use, this run needs 3/),
    });
    const got = receivers.at('/flaky');
    expect(got.map((d) => d.event.state ?? d.event.type)).toEqual(expect.arrayContaining(['Initializing', 'Finalizing', 'Aborted', 'slipway.quota.refused']));
    expect(got.every((d) => d.attempt === 3 && d.signed && receivers.requests.get(`/flaky ${d.event.id}`) === 3)).toBe(true);
    expect(got.some((d) => d.event.type === 'slipway.instance.state')).toBe(false);
    const deliveries = (await api.get(`/webhooks/${created.body.id}/deliveries`, bob.key)).body.items;
    expect(deliveries).toHaveLength(got.length);
    for (const delivery of deliveries) expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 204 });
  });

  it('gives up after six attempts, with backoff between them, and says why', async () => {
    const created = await createWebhook(bob.key, { url: `${receivers.url}/down`, events: ['slipway.quota.refused'] });
    receivers.secrets.set('/down', created.body.secret);
    receivers.failFirst.set('/down', Number.POSITIVE_INFINITY);

    const launched = await api.post('/runs', bob.key, { deployment: 'wordpress-site', connector: 'sim-eu' });
    const [failed] = await waitFor('the delivery to fail for good', async () => {
      const items = (await api.get(`/webhooks/${created.body.id}/deliveries`, bob.key)).body.items;
      return items.length && items[0].status === 'failed' && items;
    });

    expect(failed).toMatchObject({ status: 'failed', attempts: 6, lastStatusCode: 500, lastError: 'answered 500' });
    expect(failed).not.toHaveProperty('nextAttemptAt');
    expect(receivers.requests.get(`/down ${failed.eventId}`)).toBe(6);
    // Waits of about 0.2, 0.6, 1.8, 5.4 and 16.2 s (base 200 ms here, ×3 each, ±20%) between the six attempts.
    expect(Date.parse(failed.lastAttemptAt) - Date.parse(failed.createdAt)).toBeGreaterThan(0.8 * (200 + 600 + 1800 + 5400 + 16_200));
    expect((await api.get(`/runs/${launched.body.id}`, bob.key)).body.state).toBe('Aborted');
  }, 90_000);
});
