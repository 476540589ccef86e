/**
 * The foundation issue's scenarios, driven over HTTP against the local stack
 * (DynamoDB Local in memory, local Step Functions, the same handlers, schedules).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { simKind } from '#connectors/sim/sim-kind';
import { documentClient } from '#functions/commons/clients';
import { LOCAL_AWS } from '#infra/local/dynamodb';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser, createWordpressSite } from '#test/support/world';

let stack: LocalStack;
let api: ApiClient;
let admin: string;
let alice: { id: string; key: string };

/** VMs the sim cloud holds for a run that are not terminated (read from the cloud, not from Slipway). */
async function liveSimVms(connector: string, credentialId: string, run: string) {
  const table = { doc: documentClient(new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, ...LOCAL_AWS })), name: LOCAL_TABLE };
  const config = (await api.get(`/connectors/${connector}`, admin)).body;
  const cloud = simKind.open({ config, credentialId, secrets: { apiKey: 'demo', apiSecret: 'x' } }, { table, now: () => new Date() });
  return (await cloud.listInstances({ run })).filter((vm) => vm.state !== 'terminated');
}

const quotaUsed = async (key: string, connector: string) =>
  (await api.get('/quotas', key)).body.items.find((q: { connector: string }) => q.connector === connector).used;

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  api = apiClient(stack.apiUrl);
  admin = stack.adminKey;
  alice = await createUser(api, admin, 'alice');
  await createSimConnector(api, admin, 'sim-eu');
  await createWordpressSite(api, alice.key, 'sim-eu');
});

afterAll(async () => {
  await stack?.stop();
});

describe('a run of wordpress-site on sim-eu', () => {
  let runId: string;

  it('goes Initializing → Provisioning → Executing → Ready with three running instances', async () => {
    const launched = await api.post('/runs', alice.key, { deployment: 'wordpress-site', connector: 'sim-eu' });
    expect(launched.status).toBe(201);
    expect(launched.body.state).toBe('Initializing');
    runId = launched.body.id;

    const run = await api.waitForRun(runId, alice.key, ['Ready', 'Aborted']);

    expect(run.state).toBe('Ready');
    expect(run.instances.map((i: { name: string }) => i.name).sort()).toEqual(['db.1', 'web.1', 'web.2']);
    for (const instance of run.instances) {
      expect(instance).toMatchObject({ state: 'running', cloudId: expect.any(String), ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });
    }
    const events = (await api.get(`/runs/${runId}/events`, alice.key)).body.items
      .filter((e: { state?: string }) => e.state)
      .map((e: { state: string }) => e.state);
    expect(events).toEqual(['Initializing', 'Provisioning', 'Executing', 'Ready']);
  });

  it("hands each web instance the db instance's hostname as db_host", async () => {
    const instances = (await api.get(`/runs/${runId}/instances`, alice.key)).body.items;
    const db = instances.find((i: { name: string }) => i.name === 'db.1');

    const webs = instances.filter((i: { node: string }) => i.node === 'web');

    expect(db.parameters.hostname).toBeTruthy();
    expect(webs.map((w: { parameters: { db_host: string } }) => w.parameters.db_host)).toEqual([db.parameters.hostname, db.parameters.hostname]);
  });

  it('is found as a Step Functions execution named after the run id', async () => {
    const { SFNClient, DescribeExecutionCommand } = await import('@aws-sdk/client-sfn');
    const sfn = new SFNClient({ endpoint: stack.stepFunctionsEndpoint, ...LOCAL_AWS });

    const execution = await sfn.send(
      new DescribeExecutionCommand({ executionArn: `arn:aws:states:us-east-1:000000000000:execution:slipway-deploy-run:${runId}` }),
    );

    expect(execution).toMatchObject({ name: runId, status: 'SUCCEEDED' });
  });

  it('terminates: Finalizing → Done, no live VM in the cloud, quota back to 0', async () => {
    expect(await quotaUsed(alice.key, 'sim-eu')).toBe(3);

    const asked = await api.post(`/runs/${runId}/terminate`, alice.key);
    const run = await api.waitForRun(runId, alice.key, ['Done', 'Aborted']);

    expect(asked.status).toBe(202);
    expect(run.state).toBe('Done');
    expect(run.instances.every((i: { state: string }) => i.state === 'terminated')).toBe(true);
    const credential = (await api.get('/credentials', alice.key)).body.items[0];
    expect(await liveSimVms('sim-eu', credential.id, runId)).toEqual([]);
    expect(await quotaUsed(alice.key, 'sim-eu')).toBe(0);
  });

  it('answers a terminate of a run that is Done already with the run (200), changing nothing', async () => {
    const reply = await api.post(`/runs/${runId}/terminate`, alice.key);

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: runId, state: 'Done' });
  });
});

describe('runs that cannot be satisfied end Aborted and leave nothing behind', () => {
  it('names the missing native id when the image has none for the chosen connector', async () => {
    await createSimConnector(api, admin, 'sim-us');
    await api.post('/credentials', alice.key, { connector: 'sim-us', secrets: { apiKey: 'a', apiSecret: 'b' } });

    const launched = await api.post('/runs', alice.key, { deployment: 'wordpress-site', connector: 'sim-us' });
    const run = await api.waitForRun(launched.body.id, alice.key, ['Done', 'Aborted']);

    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toMatch(/no native id for connector "sim-us"/);
    expect(run.instances).toEqual([]);
    expect(await quotaUsed(alice.key, 'sim-us')).toBe(0);
  });

  it('reports the quota when the run needs more VMs than the user may hold', async () => {
    const bob = await createUser(api, admin, 'bob');
    await createWordpressSite(api, bob.key, 'sim-eu');
    expect((await api.put(`/quotas/${bob.id}/sim-eu`, admin, { maxVms: 2 })).status).toBe(200);

    const launched = await api.post('/runs', bob.key, { deployment: 'wordpress-site', connector: 'sim-eu' });
    const run = await api.waitForRun(launched.body.id, bob.key, ['Done', 'Aborted']);

    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toMatch(/Quota exceeded.*sim-eu: 0 of 2 VMs in use, this run needs 3/);
    expect(run.instances.every((i: { cloudId?: string }) => i.cloudId === undefined)).toBe(true);
    expect(await quotaUsed(bob.key, 'sim-eu')).toBe(0);
  });

  it('aborts every run on a cloud that refuses every create, with zero VMs and zero quota left', async () => {
    const carol = await createUser(api, admin, 'carol');
    await createSimConnector(api, admin, 'sim-broken', { permanentFailureRate: 1 });
    await createWordpressSite(api, carol.key, 'sim-broken');

    const runs = await Promise.all([1, 2, 3].map(() => api.post('/runs', carol.key, { deployment: 'wordpress-site', connector: 'sim-broken' })));
    const ended = await Promise.all(runs.map((r) => api.waitForRun(r.body.id, carol.key, ['Done', 'Aborted'])));

    const credential = (await api.get('/credentials', carol.key)).body.items[0];
    for (const run of ended) {
      expect(run.state).toBe('Aborted');
      expect(run.abortReason).toMatch(/The cloud refused/);
      expect(await liveSimVms('sim-broken', credential.id, run.id)).toEqual([]);
    }
    expect(await quotaUsed(carol.key, 'sim-broken')).toBe(0);
  });
});

describe('fault injection', () => {
  it('brings every run to Ready when 30% of creates fail transiently, and leaves one VM per instance', async () => {
    const dave = await createUser(api, admin, 'dave');
    await createSimConnector(api, admin, 'sim-flaky', { transientFailureRate: 0.3, seed: 7 });
    await createWordpressSite(api, dave.key, 'sim-flaky');

    const runs = await Promise.all([1, 2, 3, 4].map(() => api.post('/runs', dave.key, { deployment: 'wordpress-site', connector: 'sim-flaky' })));
    const ready = await Promise.all(runs.map((r) => api.waitForRun(r.body.id, dave.key, ['Ready', 'Aborted'], 120_000)));

    const credential = (await api.get('/credentials', dave.key)).body.items[0];
    for (const run of ready) {
      expect(run.state).toBe('Ready');
      expect(await liveSimVms('sim-flaky', credential.id, run.id)).toHaveLength(3);
    }
    expect(await quotaUsed(dave.key, 'sim-flaky')).toBe(12);
    await Promise.all(ready.map((run) => api.post(`/runs/${run.id}/terminate`, dave.key)));
    await Promise.all(ready.map((run) => api.waitForRun(run.id, dave.key, ['Done'], 120_000)));
    expect(await quotaUsed(dave.key, 'sim-flaky')).toBe(0);
  }, 300_000);
});

describe('expiry', () => {
  it('terminates a run whose expiresAt has passed without anyone asking', async () => {
    const launched = await api.post('/runs', alice.key, {
      deployment: 'wordpress-site',
      connector: 'sim-eu',
      expiresAt: new Date(Date.now() + 4000).toISOString(),
    });

    const run = await api.waitForRun(launched.body.id, alice.key, ['Done', 'Aborted'], 60_000);

    expect(run.state).toBe('Done');
    const messages = (await api.get(`/runs/${run.id}/events`, alice.key)).body.items.map((e: { message: string }) => e.message);
    expect(messages.some((m: string) => m.startsWith('expired at'))).toBe(true);
  });
});

describe('isolation between users', () => {
  it("hides a user's credentials, images, deployments and runs from another user (404), not from the admin", async () => {
    const eve = await createUser(api, admin, 'eve');
    const credential = (await api.get('/credentials', alice.key)).body.items[0].id;
    const image = (await api.get('/images/mysql', alice.key)).body.id;
    const deployment = (await api.get('/deployments/wordpress-site', alice.key)).body.id;
    const run = (await api.get('/runs', alice.key)).body.items[0].id;
    const paths = [`/credentials/${credential}`, `/images/${image}`, `/deployments/${deployment}`, `/runs/${run}`];

    const asEve = await Promise.all(paths.map((p) => api.get(p, eve.key)));
    const asAdmin = await Promise.all(paths.map((p) => api.get(p, admin)));
    const terminate = await api.post(`/runs/${run}/terminate`, eve.key);

    expect(asEve.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    expect(asEve.every((r) => r.contentType.includes('application/problem+json'))).toBe(true);
    expect(asAdmin.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(terminate.status).toBe(404);
  });
});

describe('bad input', () => {
  it('lists every bad field of a run request with 400 and starts nothing', async () => {
    const before = (await api.get('/runs', alice.key)).body.items.length;

    const reply = await api.post('/runs', alice.key, { deployment: 'nope', connector: 'nowhere', expiresAt: 'yesterday', extra: 1 });

    expect(reply.status).toBe(400);
    expect(reply.contentType).toContain('application/problem+json');
    const paths = reply.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.expiresAt']));
    expect((await api.get('/runs', alice.key)).body.items.length).toBe(before);
  });

  it('refuses a deployment whose inputs form a cycle', async () => {
    const reply = await api.post('/deployments', alice.key, {
      name: 'loop',
      nodes: [
        { name: 'a', image: 'mysql', inputs: { x: 'b:hostname' } },
        { name: 'b', image: 'mysql', inputs: { y: 'a:hostname' } },
      ],
    });

    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ path: 'body.nodes', message: 'the input mappings form a cycle' }]);
  });

  it('keeps every version of an image readable, and deletes only the head', async () => {
    const created = (await api.post('/images', alice.key, { name: 'tmp-image', cloudImageIds: { 'sim-eu': 'v1' } })).body;
    const updated = await api.put(`/images/${created.id}`, alice.key, { name: 'tmp-image', cloudImageIds: { 'sim-eu': 'v2' }, version: 1 });
    const stale = await api.put(`/images/${created.id}`, alice.key, { name: 'tmp-image', version: 1 });

    const versions = (await api.get(`/images/${created.id}/versions`, alice.key)).body.items.map((i: { version: number; cloudImageIds: object }) => [
      i.version,
      i.cloudImageIds,
    ]);
    const deleted = await api.call('DELETE', `/images/${created.id}`, alice.key);

    expect(updated.body.version).toBe(2);
    expect(stale.status).toBe(409);
    expect(versions).toEqual([
      [1, { 'sim-eu': 'v1' }],
      [2, { 'sim-eu': 'v2' }],
    ]);
    expect(deleted.status).toBe(204);
    expect((await api.get(`/images/${created.id}`, alice.key)).status).toBe(404);
    expect((await api.get(`/images/${created.id}?version=1`, alice.key)).status).toBe(404);
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const doc = (await api.get('/openapi.json')).body;

    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/runs'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('deployment');
  });
});
