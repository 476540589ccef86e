/**
 * The `opennebula` kind end to end: the local stack over HTTP, the connector's
 * endpoint pointing at the fake OpenNebula, transient failures injected. What a
 * run costs in XML-RPC calls is read from the fake's counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { startFakeOpennebula, type FakeOpennebula } from '#test/fakes/opennebula/fake-opennebula';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createUser } from '#test/support/world';

const CONNECTOR = 'one-local';
/** An image id the fake has (DEFAULT_CATALOGUE). */
const IMAGE_ID = '7';

let stack: LocalStack;
let fake: FakeOpennebula;
let api: ApiClient;
let admin: string;

/** Fails the test with the API's own words when a setup request is refused. */
async function must(reply: Promise<{ status: number; text: string; body: { id: string } }>) {
  const r = await reply;
  if (r.status >= 300) throw new Error(r.text);
  return r.body;
}

/** A user with an OpenNebula credential, ubuntu → mysql/wordpress images and the db + 2 web deployment. */
async function wordpressOnOpennebula(name: string, password: string, imageId = IMAGE_ID): Promise<string> {
  const user = await createUser(api, admin, name);
  await must(
    api.post('/credentials', user.key, {
      connector: CONNECTOR,
      secrets: { username: fake.username, password },
    }),
  );
  await must(
    api.post('/images', user.key, {
      name: 'ubuntu',
      cloudImageIds: { [CONNECTOR]: imageId },
      defaults: { [CONNECTOR]: { instanceType: 'small' } },
    }),
  );
  await must(
    api.post('/images', user.key, {
      name: 'mysql',
      parent: 'ubuntu',
      outputs: ['hostname'],
      readiness: 'running',
    }),
  );
  await must(
    api.post('/images', user.key, {
      name: 'wordpress',
      parent: 'ubuntu',
      inputs: ['db_host'],
      readiness: 'running',
    }),
  );
  await must(
    api.post('/deployments', user.key, {
      name: 'wordpress-site',
      nodes: [
        { name: 'db', image: 'mysql', multiplicity: 1 },
        {
          name: 'web',
          image: 'wordpress',
          multiplicity: 2,
          inputs: { db_host: 'db:hostname' },
        },
      ],
    }),
  );
  return user.key;
}

const quotaUsed = async (key: string) => (await api.get('/quotas', key)).body.items.find((q: { connector: string }) => q.connector === CONNECTOR).used;
const liveVmsOfRun = (run: string) => fake.liveVms().filter((vm) => vm.userTemplate.SLIPWAY_RUN === run);

beforeAll(async () => {
  // Every 7th XML-RPC call fails (INTERNAL or HTTP 503), and the first allocate's answer is lost after its VM was made.
  fake = await startFakeOpennebula({ transientEvery: 7, lostAllocates: 1 });
  // The monitor schedule would add its own pool calls to the counters: keep it out of the measured run.
  stack = await startLocalStack({ scheduleIntervalMs: 600_000 });
  api = apiClient(stack.apiUrl);
  admin = stack.adminKey;
  await must(
    api.post('/connectors', admin, {
      name: CONNECTOR,
      kind: 'opennebula',
      endpoint: fake.url,
      defaultQuotaVms: 10,
      maxIaasWorkers: 2,
      settings: { networkId: 0 },
    }),
  );
});

afterAll(async () => {
  await stack?.stop();
  await fake?.stop();
});

describe('a run of wordpress-site on OpenNebula', () => {
  let alice: string;
  let runId: string;

  it('reaches Ready through injected transient failures, with three running VMs that have addresses', async () => {
    // Prepare
    alice = await wordpressOnOpennebula('alice', fake.password);
    fake.resetCounters();
    const started = Date.now();

    // Act
    const launched = await api.post('/runs', alice, {
      deployment: 'wordpress-site',
      connector: CONNECTOR,
    });
    runId = launched.body.id;
    const run = await api.waitForRun(runId, alice, ['Ready', 'Aborted'], 120_000);
    const readyMs = Date.now() - started;
    console.info(
      `opennebula: launch → Ready in ${readyMs} ms; XML-RPC calls ${JSON.stringify(fake.calls)}; injected failures ${JSON.stringify(fake.injected)}`,
    );

    // Assess
    expect(run.state).toBe('Ready');
    expect(run.instances.map((i: { name: string }) => i.name).sort()).toEqual(['db.1', 'web.1', 'web.2']);
    for (const instance of run.instances)
      expect(instance).toMatchObject({
        state: 'running',
        rawState: 'ACTIVE/RUNNING',
        cloudId: expect.stringMatching(/^\d+$/),
        ip: expect.stringMatching(/^10\.0\.0\.\d+$/),
      });
    expect(fake.injected['one.vm.allocate']).toBeGreaterThanOrEqual(1);
    expect(Object.values(fake.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(1);
  }, 150_000);

  it('leaves exactly the run’s three VMs in the cloud, even when an allocate answer was lost', () => {
    // Act
    const vms = liveVmsOfRun(runId);

    // Assess
    expect(vms.map((vm) => `${vm.userTemplate.SLIPWAY_NODE}.${vm.userTemplate.SLIPWAY_INDEX}`).sort()).toEqual(['db.1', 'web.1', 'web.2']);
    expect(fake.liveVms()).toHaveLength(3);
  });

  it("hands each web instance db.1's hostname as db_host", async () => {
    // Act
    const instances = (await api.get(`/runs/${runId}/instances`, alice)).body.items;

    // Assess
    const db = instances.find((i: { name: string }) => i.name === 'db.1');
    const webs = instances.filter((i: { node: string }) => i.node === 'web');
    expect(db.parameters.hostname).toMatch(/^10\.0\.0\.\d+$/);
    expect(db.parameters.hostname).toBe(db.ip);
    expect(webs.map((w: { parameters: { db_host?: string } }) => w.parameters.db_host)).toEqual([db.parameters.hostname, db.parameters.hostname]);
  });

  it('terminates: Done, no VM of the run left live in the cloud, quota back to 0', async () => {
    // Prepare
    expect(await quotaUsed(alice)).toBe(3);
    fake.resetCounters();

    // Act
    await api.post(`/runs/${runId}/terminate`, alice);
    const run = await api.waitForRun(runId, alice, ['Done', 'Aborted'], 120_000);
    console.info(`opennebula: terminate XML-RPC calls ${JSON.stringify(fake.calls)}`);

    // Assess
    expect(run.state).toBe('Done');
    expect(liveVmsOfRun(runId)).toEqual([]);
    expect(await quotaUsed(alice)).toBe(0);
  }, 150_000);
});

describe('runs OpenNebula refuses end Aborted and leave nothing behind', () => {
  it('aborts on a wrong password with a reason that says authentication failed', async () => {
    // Prepare
    const bob = await wordpressOnOpennebula('bob', 'not-the-password');

    // Act
    const launched = await api.post('/runs', bob, {
      deployment: 'wordpress-site',
      connector: CONNECTOR,
    });
    const run = await api.waitForRun(launched.body.id, bob, ['Done', 'Aborted'], 120_000);

    // Assess
    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toMatch(/authentication failed for credential/);
    expect(run.abortReason).not.toContain('not-the-password');
    expect(liveVmsOfRun(run.id)).toEqual([]);
    expect(await quotaUsed(bob)).toBe(0);
  }, 150_000);

  it('aborts on an image OpenNebula does not have, naming it', async () => {
    // Prepare
    const carol = await wordpressOnOpennebula('carol', fake.password, '999');

    // Act
    const launched = await api.post('/runs', carol, {
      deployment: 'wordpress-site',
      connector: CONNECTOR,
    });
    const run = await api.waitForRun(launched.body.id, carol, ['Done', 'Aborted'], 120_000);

    // Assess
    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toMatch(/image 999 does not exist/);
    expect(liveVmsOfRun(run.id)).toEqual([]);
    expect(await quotaUsed(carol)).toBe(0);
  }, 150_000);
});
