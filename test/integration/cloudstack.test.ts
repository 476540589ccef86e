/**
 * The `cloudstack` kind end to end: the local stack over HTTP, the connector's
 * endpoint pointing at the fake CloudStack (signatures checked, a transient 5xx
 * injected every few calls). What a run costs in API calls is read from the
 * fake's counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { FAKE_OFFERINGS, FAKE_TEMPLATES } from '#test/fakes/cloudstack/catalogue';
import { startFakeCloudStack, type FakeCloudStack } from '#test/fakes/cloudstack/server';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createUser } from '#test/support/world';

const CONNECTOR = 'exo-gva';
const TEMPLATE_ID = FAKE_TEMPLATES[0].id;
const OFFERING_NAME = FAKE_OFFERINGS[0].name;

let stack: LocalStack;
let fake: FakeCloudStack;
let api: ApiClient;
let admin: string;

async function must(reply: Promise<{ status: number; text: string; body: { id: string } }>) {
  const r = await reply;
  if (r.status >= 300) throw new Error(r.text);
  return r.body;
}

/** A user with a CloudStack credential, ubuntu → mysql/wordpress images and the db + 2 web deployment. */
async function wordpressOnCloudStack(name: string, secretKey: string, templateId: string = TEMPLATE_ID): Promise<string> {
  const user = await createUser(api, admin, name);
  await must(api.post('/credentials', user.key, { connector: CONNECTOR, secrets: { apiKey: fake.apiKey, secretKey } }));
  await must(
    api.post('/images', user.key, { name: 'ubuntu', cloudImageIds: { [CONNECTOR]: templateId }, defaults: { [CONNECTOR]: { instanceType: OFFERING_NAME } } }),
  );
  await must(api.post('/images', user.key, { name: 'mysql', parent: 'ubuntu', outputs: ['hostname'], readiness: 'running' }));
  await must(api.post('/images', user.key, { name: 'wordpress', parent: 'ubuntu', inputs: ['db_host'], readiness: 'running' }));
  await must(
    api.post('/deployments', user.key, {
      name: 'wordpress-site',
      nodes: [
        { name: 'db', image: 'mysql', multiplicity: 1 },
        { name: 'web', image: 'wordpress', multiplicity: 2, inputs: { db_host: 'db:hostname' } },
      ],
    }),
  );
  return user.key;
}

const quotaUsed = async (key: string) => (await api.get('/quotas', key)).body.items.find((q: { connector: string }) => q.connector === CONNECTOR).used;
const vmsOfRun = (run: string) => fake.vms().filter((vm) => vm.tags.some((t) => t.key === 'slipway-run' && t.value === run));
const launch = async (key: string) => (await api.post('/runs', key, { deployment: 'wordpress-site', connector: CONNECTOR })).body.id as string;

beforeAll(async () => {
  fake = await startFakeCloudStack({ transientEvery: 5 });
  // The monitor schedule would add its own list calls to the counters: keep it out of the measured run.
  stack = await startLocalStack({ scheduleIntervalMs: 600_000 });
  api = apiClient(stack.apiUrl);
  admin = stack.adminKey;
  // The zone by name: the connector resolves it to its id.
  await must(
    api.post('/connectors', admin, {
      name: CONNECTOR,
      kind: 'cloudstack',
      endpoint: fake.endpoint,
      zone: 'CH-GV2',
      defaultQuotaVms: 10,
      maxIaasWorkers: 3,
      settings: {},
    }),
  );
});

afterAll(async () => {
  await stack?.stop();
  await fake?.stop();
});

describe('a run of wordpress-site on CloudStack', () => {
  let alice: string;
  let runId: string;

  it('reaches Ready through injected 5xx, with three running VMs that have addresses', async () => {
    // Prepare
    alice = await wordpressOnCloudStack('alice', fake.secretKey);
    fake.resetCounters();
    const started = Date.now();

    // Act
    runId = await launch(alice);
    const run = await api.waitForRun(runId, alice, ['Ready', 'Aborted'], 120_000);
    console.info(`cloudstack: launch → Ready in ${Date.now() - started} ms; API calls ${JSON.stringify(fake.calls)}; ${JSON.stringify(fake.stats)}`);

    // Assess
    expect(run.state).toBe('Ready');
    expect(run.instances.map((i: { name: string }) => i.name).sort()).toEqual(['db.1', 'web.1', 'web.2']);
    for (const instance of run.instances) {
      expect(instance).toMatchObject({ state: 'running', rawState: 'Running', cloudId: expect.any(String), ip: expect.stringMatching(/^10\.1\.\d+\.\d+$/) });
    }
    expect(fake.stats.injected).toBeGreaterThan(0);
  }, 150_000);

  it("leaves exactly the run's three VMs in the cloud, each tagged with its node and index", () => {
    // Act
    const vms = vmsOfRun(runId);

    // Assess
    const names = vms.map((vm) => ['slipway-node', 'slipway-index'].map((k) => vm.tags.find((t) => t.key === k)?.value).join('.'));
    expect(names.sort()).toEqual(['db.1', 'web.1', 'web.2']);
    expect(fake.vms()).toHaveLength(3);
  });

  it("hands each web instance db.1's hostname as db_host", async () => {
    // Act
    const instances = (await api.get(`/runs/${runId}/instances`, alice)).body.items;

    // Assess
    const db = instances.find((i: { name: string }) => i.name === 'db.1');
    const webs = instances.filter((i: { node: string }) => i.node === 'web');
    expect(db.ip).toMatch(/^10\.1\.\d+\.\d+$/);
    expect(db.parameters.hostname).toBe(db.ip);
    expect(webs.map((w: { parameters: { db_host?: string } }) => w.parameters.db_host)).toEqual([db.parameters.hostname, db.parameters.hostname]);
  });

  it('terminates: Done, no VM left in the cloud, quota back to 0', async () => {
    // Prepare
    expect(await quotaUsed(alice)).toBe(3);
    fake.resetCounters();

    // Act
    await api.post(`/runs/${runId}/terminate`, alice);
    const run = await api.waitForRun(runId, alice, ['Done', 'Aborted'], 120_000);
    console.info(`cloudstack: terminate API calls ${JSON.stringify(fake.calls)}; ${JSON.stringify(fake.stats)}`);

    // Assess
    expect(run.state).toBe('Done');
    expect(fake.vms()).toEqual([]);
    expect(await quotaUsed(alice)).toBe(0);
  }, 150_000);
});

describe('runs CloudStack refuses end Aborted and leave nothing behind', () => {
  it('aborts on a wrong secret key with a reason that says authentication failed', async () => {
    // Prepare
    const wrong = `${fake.secretKey}-wrong`;
    const bob = await wordpressOnCloudStack('bob', wrong);

    // Act
    const run = await api.waitForRun(await launch(bob), bob, ['Done', 'Aborted'], 120_000);

    // Assess
    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toMatch(/authentication failed for credential/);
    expect(run.abortReason).not.toContain(wrong);
    expect(vmsOfRun(run.id)).toEqual([]);
    expect(await quotaUsed(bob)).toBe(0);
  }, 150_000);

  it('aborts on a template the cloud does not have, naming it', async () => {
    // Prepare
    const missing = '00000000-0000-4000-8000-00000000dead';
    const carol = await wordpressOnCloudStack('carol', fake.secretKey, missing);

    // Act
    const run = await api.waitForRun(await launch(carol), carol, ['Done', 'Aborted'], 120_000);

    // Assess
    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toContain(`image ${missing}`);
    expect(vmsOfRun(run.id)).toEqual([]);
    expect(fake.vms()).toEqual([]);
    expect(await quotaUsed(carol)).toBe(0);
  }, 150_000);
});
