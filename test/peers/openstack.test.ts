/**
 * The openstack kind against a real OpenStack (Keystone + Nova + Glance +
 * Neutron, fake virt driver) started from shared/peers/openstack: the
 * conformance suite, an image build that never completes (Nova's fake driver
 * uploads no snapshot data, so Glance keeps the image queued), then the
 * wordpress-site walk-through end to end through the local stack over HTTP,
 * counting every HTTP call that reaches the cloud.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudInstance, Connector, ImageState } from '#connectors/contract';
import { CLOUD_ERROR } from '#connectors/errors';
import { openstackKind } from '#connectors/openstack/openstack-kind';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { describeConformance } from '#test/conformance/conformance';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createUser } from '#test/support/world';
import { startPeer, type Peer } from './support/peer';

let peer: Peer;
const env = (name: string): string => peer.env[name] ?? '';
const secrets = (password = env('OS_PASSWORD')) => ({ username: env('OS_USERNAME'), password, projectName: env('OS_PROJECT_NAME') });
const config = (name: string) => ({
  name,
  kind: 'openstack' as const,
  endpoint: env('OS_AUTH_URL'),
  region: env('OS_REGION_NAME'),
  maxIaasWorkers: 2,
  defaultQuotaVms: 20,
  settings: { networkId: env('OS_PEER_NETWORK_ID') },
});
/** The connector opened straight on the peer, to see what the cloud itself holds. */
const cloudView = (credentialId = 'peer-check'): Connector =>
  openstackKind.open({ config: config('os-peer'), credentialId, secrets: secrets() }, { now: () => new Date() });
const live = (vms: CloudInstance[]) => vms.filter((vm) => vm.state !== 'terminated');

/** Counts fetches to the peer's services (Keystone, Nova, Glance): the cloud's side of a run. */
const cloudCalls = { count: 0 };
const realFetch = globalThis.fetch;

beforeAll(async () => {
  peer = await startPeer('openstack', 10 * 60_000);
  const peerOrigins = [env('OS_AUTH_URL'), env('OS_PEER_COMPUTE_URL'), 'http://127.0.0.1:9292'].map((url) => new URL(url).origin);
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (peerOrigins.includes(new URL(url).origin)) cloudCalls.count += 1;
    return realFetch(input, init);
  };
}, 10 * 60_000);

afterAll(async () => {
  globalThis.fetch = realFetch;
  await peer?.stop();
}, 120_000);

describeConformance({
  kind: 'openstack',
  pollMs: 1000,
  // Nova's fake driver uploads no snapshot data: Glance keeps every image queued.
  imageBuilds: { outcome: 'stays-pending', waitMs: 5000 },
  async setup() {
    return {
      connector: cloudView('conformance'),
      openWithBadCredentials: () =>
        openstackKind.open({ config: config('os-peer'), credentialId: 'conformance-bad', secrets: secrets('not-the-password') }, { now: () => new Date() }),
      imageId: env('OS_PEER_IMAGE_ID'),
      unknownImageId: '00000000-0000-4000-8000-00000000dead',
      instanceType: env('OS_PEER_FLAVOR_ID'),
      teardown: async () => {},
    };
  },
});

describe('an image build on the OpenStack peer, which never completes', () => {
  it('stops the server and answers an image id, which stays pending (queued) for 20 s; then the server is terminated and the image deleted', async () => {
    // Prepare
    const cloud = cloudView('image-build');
    const tag = { run: `img${Date.now().toString(36)}`, node: 'build', index: 1 };
    const vm = await cloud.createInstance({
      tag,
      name: 'build.1',
      imageId: env('OS_PEER_IMAGE_ID'),
      instanceType: env('OS_PEER_FLAVOR_ID'),
      boot: { outputs: [], inputs: {}, readiness: 'running' },
    });
    for (let polls = 0; polls < 60 && (await cloud.listInstances({ run: tag.run }))[0]?.state !== 'running'; polls++) {
      await new Promise((r) => setTimeout(r, 1000));
    }
    const build = `bld_${tag.run}`;

    // Act
    const startedAt = Date.now();
    const { imageId } = await cloud.createImage({ cloudId: vm.cloudId, name: `slipway-peer-${build}`, tag: { image: 'img_peer', build } });
    const createdMs = Date.now() - startedAt;
    const server = (await cloud.listInstances({ run: tag.run }))[0];
    const seen: ImageState[] = [];
    const watchedFrom = Date.now();
    while (Date.now() - watchedFrom < 20_000) {
      seen.push(await cloud.imageState(imageId));
      await new Promise((r) => setTimeout(r, 1000));
    }
    await cloud.terminateInstance(vm.cloudId);
    await cloud.deleteImage(imageId);
    const afterDelete = await cloud.imageState(imageId);
    const raws = [...new Set(seen.map((s) => s.rawState))].join(', ');
    console.log(`openstack peer: stop + createImage answered ${imageId} in ${createdMs} ms; ${seen.length} looks over 20 s all ${raws}`);

    // Assess
    expect(imageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server).toMatchObject({ state: 'stopped', rawState: expect.stringContaining('SHUTOFF') });
    expect(seen.length).toBeGreaterThanOrEqual(15);
    expect(seen.every((s) => s.state === 'pending' && s.rawState === 'queued')).toBe(true);
    expect(afterDelete.state).toBe('gone');
    expect(live(await cloud.listInstances({ run: tag.run }))).toEqual([]);
  });
});

/** Signs in as the peer's cloud admin and adds a public flavor (only admins may). */
async function createFlavor(id: string, ramMb: number): Promise<void> {
  const auth = await realFetch(`${env('OS_AUTH_URL')}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: env('OS_PEER_ADMIN_USERNAME'), domain: { name: 'Default' }, password: env('OS_PEER_ADMIN_PASSWORD') } },
        },
        scope: { project: { name: env('OS_PEER_ADMIN_PROJECT_NAME'), domain: { name: 'Default' } } },
      },
    }),
  });
  const made = await realFetch(`${env('OS_PEER_COMPUTE_URL')}/flavors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-auth-token': auth.headers.get('x-subject-token') ?? '' },
    body: JSON.stringify({ flavor: { id, name: `x.${id}`, ram: ramMb, vcpus: 1, disk: 1 } }),
  });
  if (made.status !== 200) throw new Error(`flavor ${id}: HTTP ${made.status} ${await made.text()}`);
}

describe("the peer's own refusals", () => {
  const boot = { outputs: [], inputs: {}, readiness: 'running' as const };
  const request = (run: string, instanceType: string) => ({
    tag: { run, node: 'db', index: 1 },
    name: 'db.1',
    imageId: env('OS_PEER_IMAGE_ID'),
    instanceType,
    boot,
  });

  it('reports a flavor larger than any host as CapacityError ("No valid host was found") and deletes the failed server', async () => {
    // Prepare: the fake hypervisor has 800000 MiB; the project's RAM quota allows 1024000.
    await createFlavor('big', 900_000);
    const run = `cap${Date.now().toString(36)}`;
    const cloud = cloudView();
    await cloud.createInstance(request(run, 'x.big'));
    let listed: CloudInstance[] = [];
    for (let polls = 0; polls < 60 && listed[0]?.state !== 'error'; polls++) {
      await new Promise((r) => setTimeout(r, 1000));
      listed = await cloud.listInstances({ run });
    }

    // Act
    const error = await cloud.createInstance(request(run, 'x.big')).catch((e: Error) => e);

    // Assess
    expect(listed[0]).toMatchObject({ state: 'error', rawState: expect.stringContaining('No valid host was found') });
    expect(error).toMatchObject({ name: CLOUD_ERROR.capacity });
    expect(live(await cloud.listInstances({ run }))).toEqual([]);
  });

  it("reports a flavor beyond the project's RAM quota as CloudQuotaExceededError", async () => {
    // Prepare
    await createFlavor('huge', 4_000_000);

    // Act
    const error = await cloudView()
      .createInstance(request(`quota${Date.now().toString(36)}`, 'x.huge'))
      .catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.quotaExceeded, message: expect.stringContaining('quota') });
  });
});

/** Credential, ubuntu → mysql/wordpress images and the wordpress-site deployment, for one user on the peer. */
async function createSite(api: ApiClient, key: string, connector: string, options: { password?: string; imageId?: string } = {}) {
  const must = async (reply: Promise<{ status: number; text: string }>) => {
    const r = await reply;
    if (r.status >= 300) throw new Error(r.text);
  };
  await must(api.post('/credentials', key, { connector, secrets: secrets(options.password) }));
  await must(
    api.post('/images', key, {
      name: 'ubuntu',
      cloudImageIds: { [connector]: options.imageId ?? env('OS_PEER_IMAGE_ID') },
      defaults: { [connector]: { instanceType: env('OS_PEER_FLAVOR_ID') } },
    }),
  );
  await must(api.post('/images', key, { name: 'mysql', parent: 'ubuntu', outputs: ['hostname'], readiness: 'running' }));
  await must(api.post('/images', key, { name: 'wordpress', parent: 'ubuntu', inputs: ['db_host'], readiness: 'running' }));
  await must(
    api.post('/deployments', key, {
      name: 'wordpress-site',
      nodes: [
        { name: 'db', image: 'mysql', multiplicity: 1 },
        { name: 'web', image: 'wordpress', multiplicity: 2, inputs: { db_host: 'db:hostname' } },
      ],
    }),
  );
}

describe('wordpress-site on the OpenStack peer, through the local stack', () => {
  const connector = 'os-peer';
  let stack: LocalStack;
  let api: ApiClient;
  let alice: { id: string; key: string };
  let runId: string;
  const quotaUsed = async (key: string) => (await api.get('/quotas', key)).body.items.find((q: { connector: string }) => q.connector === connector).used;

  beforeAll(async () => {
    stack = await startLocalStack();
    api = apiClient(stack.apiUrl);
    alice = await createUser(api, stack.adminKey, 'alice');
    const made = await api.post('/connectors', stack.adminKey, config(connector));
    if (made.status !== 201) throw new Error(`connector: ${made.text}`);
    await createSite(api, alice.key, connector);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reaches Ready with three running VMs, and web gets db.1’s hostname as db_host', async () => {
    // Act
    const startedAt = Date.now();
    cloudCalls.count = 0;
    const launched = await api.post('/runs', alice.key, { deployment: 'wordpress-site', connector });
    runId = launched.body.id;
    const run = await api.waitForRun(runId, alice.key, ['Ready', 'Aborted', 'Done'], 180_000);
    console.log(`openstack peer: launch → ${run.state} in ${Date.now() - startedAt} ms, ${cloudCalls.count} cloud HTTP calls`);

    // Assess
    expect(run.state).toBe('Ready');
    const instances = (await api.get(`/runs/${runId}/instances`, alice.key)).body.items;
    const db = instances.find((i: { name: string }) => i.name === 'db.1');
    const webs = instances.filter((i: { node: string }) => i.node === 'web');
    expect(instances).toHaveLength(3);
    for (const instance of instances) expect(instance).toMatchObject({ state: 'running', ip: expect.stringMatching(/^127\.42\.0\.\d+$/) });
    expect(db.parameters.hostname).toBe(db.ip);
    expect(webs.map((w: { parameters: { db_host?: string } }) => w.parameters.db_host)).toEqual([db.ip, db.ip]);
  });

  it("holds exactly the run's three VMs in the cloud", async () => {
    // Act
    const inCloud = live(await cloudView().listInstances({ run: runId }));

    // Assess
    const run = (await api.get(`/runs/${runId}`, alice.key)).body;
    expect(inCloud.map((vm) => vm.cloudId).sort()).toEqual(run.instances.map((i: { cloudId: string }) => i.cloudId).sort());
    expect(inCloud).toHaveLength(3);
  });

  it('terminates: Done, none of the VMs left in the cloud, quota back to 0', async () => {
    // Prepare
    cloudCalls.count = 0;

    // Act
    const asked = await api.post(`/runs/${runId}/terminate`, alice.key);
    const run = await api.waitForRun(runId, alice.key, ['Done', 'Aborted'], 120_000);
    console.log(`openstack peer: terminate → ${run.state}, ${cloudCalls.count} cloud HTTP calls`);

    // Assess
    expect(asked.status).toBe(202);
    expect(run.state).toBe('Done');
    expect(live(await cloudView().listInstances({ run: runId }))).toEqual([]);
    expect(await quotaUsed(alice.key)).toBe(0);
  });

  it('aborts a run whose credential has a wrong password, saying authentication failed', async () => {
    // Prepare
    const mallory = await createUser(api, stack.adminKey, 'mallory');
    await createSite(api, mallory.key, connector, { password: 'not-the-password' });

    // Act
    const launched = await api.post('/runs', mallory.key, { deployment: 'wordpress-site', connector });
    const run = await api.waitForRun(launched.body.id, mallory.key, ['Aborted', 'Ready', 'Done'], 120_000);

    // Assess
    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toMatch(/authentication failed/);
    expect(run.abortReason).not.toContain('not-the-password');
    expect(await quotaUsed(mallory.key)).toBe(0);
  });

  it('aborts a run whose image the cloud does not have, naming the image id', async () => {
    // Prepare
    const missing = '00000000-0000-4000-8000-0000000b0b00';
    const bob = await createUser(api, stack.adminKey, 'bob');
    await createSite(api, bob.key, connector, { imageId: missing });

    // Act
    const launched = await api.post('/runs', bob.key, { deployment: 'wordpress-site', connector });
    const run = await api.waitForRun(launched.body.id, bob.key, ['Aborted', 'Ready', 'Done'], 120_000);

    // Assess
    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toContain(missing);
    expect(live(await cloudView().listInstances({ run: launched.body.id }))).toEqual([]);
  });
});
