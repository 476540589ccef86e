/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP bodies are asserted field by field */
/**
 * Image builds end to end on the local stack over HTTP, on `sim` (bootSeconds 1): a build per connector
 * reaches Succeeded, the image's new version holds the built ids (two clouds' builds both end in it), a
 * run launched from the image uses the built id, the builder VM is gone from the sim afterwards, the
 * quota is back; the execution history's transitions; cancellation; tenancy and bad input.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simKind } from '#connectors/sim/sim-kind';
import { documentClient } from '#functions/commons/clients';
import { LOCAL_AWS } from '#infra/local/dynamodb';
import { executionArn } from '#infra/local/sfn-arns';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '#infra/local/stack';
import { BUILD, STATE_MACHINES } from '#infra/state-machines/state-names';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser } from '#test/support/world';

let stack: LocalStack;
let api: ApiClient;
let sfn: SFNClient;
let raw: DynamoDBClient;
let alice: { id: string; key: string };
let bob: { id: string; key: string };
const credentials: Record<string, string> = {};
const SIM_A = 'sim-build-a';
const SIM_B = 'sim-build-b';
const SIM_SLOW = 'sim-build-slow';
const secrets = { apiKey: 'demo', apiSecret: 'not-a-secret' };

async function must(reply: Promise<{ status: number; text: string; body: any }>): Promise<any> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

const FINAL = ['Succeeded', 'Failed', 'TimedOut', 'Cancelled'];

async function waitForBuild(id: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const build = await must(api.get(`/builds/${id}`, alice.key));
    if (FINAL.includes(build.state)) return build;
    if (Date.now() > deadline) throw new Error(`build ${id} is still ${build.state}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The execution's history once it has ended (the build's final state is written one state before its end). */
async function historyOf(buildId: string): Promise<HistoryEvent[]> {
  const arn = executionArn(STATE_MACHINES.build, buildId);
  for (let tries = 0; ; tries++) {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    if (events.some((e) => e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed') || tries > 100) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The sim's VMs of the build (its builder), as the cloud account sees them. */
async function simVmsOf(connector: string, buildId: string, bootSeconds = 1) {
  const sim = simKind.open(
    {
      config: { name: connector, kind: 'sim', maxIaasWorkers: 2, defaultQuotaVms: 20, settings: { bootSeconds } },
      credentialId: credentials[connector]!,
      secrets,
    },
    { table: { doc: documentClient(raw), name: LOCAL_TABLE }, now: () => new Date() },
  );
  return sim.listInstances({ run: buildId });
}

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  api = apiClient(stack.apiUrl);
  sfn = new SFNClient({ endpoint: stack.stepFunctionsEndpoint, ...LOCAL_AWS });
  raw = new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, ...LOCAL_AWS });
  await createSimConnector(api, stack.adminKey, SIM_A);
  await createSimConnector(api, stack.adminKey, SIM_B);
  await createSimConnector(api, stack.adminKey, SIM_SLOW, { bootSeconds: 4 });
  alice = await createUser(api, stack.adminKey, 'alice');
  bob = await createUser(api, stack.adminKey, 'bob');
  for (const connector of [SIM_A, SIM_B, SIM_SLOW]) credentials[connector] = (await must(api.post('/credentials', alice.key, { connector, secrets }))).id;
  await must(api.post('/credentials', bob.key, { connector: SIM_A, secrets }));
  await must(
    api.post('/images', alice.key, {
      name: 'ubuntu',
      cloudImageIds: { [SIM_A]: 'sim-ubuntu-22.04', [SIM_B]: 'sim-debian-12', [SIM_SLOW]: 'sim-ubuntu-24.04' },
    }),
  );
  await must(api.post('/images', alice.key, { name: 'app', parent: 'ubuntu', recipe: 'apt-get install -y app', outputs: ['hostname'] }));
});

afterAll(async () => {
  sfn?.destroy();
  raw?.destroy();
  await stack?.stop();
});

describe('POST /v1/images/{id}/build on sim', () => {
  let builds: any[] = [];

  it('starts one build per connector (202), each from the parent’s native id there', async () => {
    // Act
    const reply = await api.post('/images/app/build', alice.key, { connectors: [SIM_A, SIM_B] });
    // Assess
    expect(reply.status).toBe(202);
    builds = reply.body.builds;
    expect(builds.map((b: any) => [b.connector, b.sourceImageId, b.state, b.imageVersion])).toEqual([
      [SIM_A, 'sim-ubuntu-22.04', 'Pending', 1],
      [SIM_B, 'sim-debian-12', 'Pending', 1],
    ]);
  });

  it('reaches Succeeded on both clouds, and the image’s latest version holds both built ids', async () => {
    // Act
    const done = [await waitForBuild(builds[0].id), await waitForBuild(builds[1].id)];
    // Assess
    for (const build of done) {
      expect(build, JSON.stringify(build.steps)).toMatchObject({ state: 'Succeeded', builtImageId: expect.stringMatching(/^sim-img-/) });
      expect(build.steps.map((s: any) => s.state)).toEqual(['Pending', 'Launching', 'Running', 'Snapshotting', 'Succeeded']);
    }
    const image = await must(api.get('/images/app', alice.key));
    expect(image.version).toBe(3);
    expect(image.cloudImageIds).toEqual({ [SIM_A]: done[0].builtImageId, [SIM_B]: done[1].builtImageId });
    expect(done.map((b) => b.newImageVersion).sort()).toEqual([2, 3]);
    builds = done;
  });

  it('leaves no builder VM live in the sim, and gives the quota back', async () => {
    for (const build of builds) {
      const vms = await simVmsOf(build.connector, build.id);
      expect(vms.length, build.id).toBe(1);
      expect(vms.filter((vm) => vm.state !== 'terminated')).toEqual([]);
      expect(vms[0]!.cloudId).toBe(build.builderCloudId);
    }
    const quotas = (await must(api.get('/quotas', alice.key))).items;
    for (const connector of [SIM_A, SIM_B]) expect(quotas.find((q: any) => q.connector === connector)?.used).toBe(0);
  });

  it('launches runs of the image from the built id', async () => {
    // Prepare
    await must(api.post('/deployments', alice.key, { name: 'app-site', nodes: [{ name: 'app', image: 'app' }] }));
    // Act
    const plan = await must(api.post('/runs?dryRun=true', alice.key, { deployment: 'app-site', connector: SIM_A }));
    const run = await must(api.post('/runs', alice.key, { deployment: 'app-site', connector: SIM_A }));
    const ready = await api.waitForRun(run.id, alice.key, ['Ready', 'Aborted']);
    // Assess
    expect(plan.nodes[0].imageId).toBe(builds[0].builtImageId);
    expect(ready.state, ready.abortReason).toBe('Ready');
    await must(api.post(`/runs/${run.id}/terminate`, alice.key));
  });

  it('takes 3 transitions per look at the builder, 3 per look at the image, and 6 more', async () => {
    // Act
    const events = await historyOf(builds[0].id);
    // Assess
    const entered = events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name!);
    const builderLooks = entered.filter((n) => n === BUILD.checkBuilder).length;
    const imageLooks = entered.filter((n) => n === BUILD.checkBuiltImage).length;
    expect(entered.length).toBe(3 * builderLooks + 3 * imageLooks + 6);
    expect(entered.at(-1)).toBe(BUILD.buildSucceeded);
    expect(builderLooks).toBeGreaterThanOrEqual(1);
    expect(imageLooks).toBeGreaterThanOrEqual(1);
    console.info(`build ${builds[0].id}: ${entered.length} transitions (${builderLooks} builder looks, ${imageLooks} image looks)`);
  });

  it('lists the owner’s builds of an image; another user sees none of them and gets 404 on each', async () => {
    const mine = await must(api.get('/builds?image=app', alice.key));
    expect(mine.items.map((b: any) => b.id)).toEqual(expect.arrayContaining(builds.map((b) => b.id)));
    expect((await must(api.get('/builds', bob.key))).items).toEqual([]);
    expect((await api.get(`/builds/${builds[0].id}`, bob.key)).status).toBe(404);
    expect((await api.post(`/builds/${builds[0].id}/cancel`, bob.key)).status).toBe(404);
    expect((await api.post(`/images/${builds[0].image}/build`, bob.key, { connectors: [SIM_A] })).status).toBe(404);
  });
});

describe('cancelling a build', () => {
  it('ends Cancelled, with the builder VM terminated and the image unchanged', async () => {
    // Prepare
    const image = await must(api.post('/images', alice.key, { name: 'slow-app', parent: 'ubuntu', recipe: 'sleep 60' }));
    const [build] = (await must(api.post(`/images/${image.id}/build`, alice.key, { connectors: [SIM_SLOW] }))).builds;
    // Act
    const cancelled = await api.post(`/builds/${build.id}/cancel`, alice.key);
    const done = await waitForBuild(build.id);
    // Assess
    expect(cancelled.status).toBe(200);
    expect(done).toMatchObject({ state: 'Cancelled', failureReason: expect.stringContaining('cancelled by') });
    expect((await simVmsOf(SIM_SLOW, build.id, 4)).filter((vm) => vm.state !== 'terminated')).toEqual([]);
    expect((await must(api.get(`/images/${image.id}`, alice.key))).version).toBe(1);
  });
});

describe('bad build requests', () => {
  it.each([
    ['no connectors', { connectors: [] }],
    ['a connector twice', { connectors: [SIM_A, SIM_A] }],
    ['an unknown connector', { connectors: ['no-such-cloud'] }],
    ['an unknown field', { connectors: [SIM_A], extra: 1 }],
    ['not a list', { connectors: SIM_A }],
  ])('refuses %s with 400 and starts nothing', async (_, body) => {
    const before = (await must(api.get('/builds', alice.key))).items.length;
    const reply = await api.post('/images/app/build', alice.key, body);
    expect(reply.status).toBe(400);
    expect((await must(api.get('/builds', alice.key))).items.length).toBe(before);
  });

  it('refuses an image without a parent with 409', async () => {
    expect((await api.post('/images/ubuntu/build', alice.key, { connectors: [SIM_A] })).status).toBe(409);
  });

  it('refuses a connector the parent has no native id on with 409', async () => {
    await createSimConnector(api, stack.adminKey, 'sim-build-bare');
    await must(api.post('/credentials', alice.key, { connector: 'sim-build-bare', secrets }));
    expect((await api.post('/images/app/build', alice.key, { connectors: ['sim-build-bare'] })).status).toBe(409);
  });

  it('404s an unknown build', async () => {
    expect((await api.get('/builds/bld_nope', alice.key)).status).toBe(404);
  });
});
