/**
 * What the connector does where the conformance suite does not look: lost
 * responses, failed jobs, slow jobs, paging, look-up caching and flaky reads,
 * against the fake CloudStack (signatures checked).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorConfig, CreateInstanceRequest } from '#connectors/contract';
import { openCloudStack } from '#connectors/cloudstack/cloudstack-kind';
import type { CloudStackTuning } from '#connectors/cloudstack/context';
import { CLOUD_ERROR } from '#connectors/errors';
import { FAKE_TEMPLATES } from '#test/fakes/cloudstack/catalogue';
import { startFakeCloudStack, type FakeCloudStack, type FakeCloudStackOptions } from '#test/fakes/cloudstack/server';
import { rejection } from './recorded-world';

let fake: FakeCloudStack | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function openFake(options: FakeCloudStackOptions = {}, tuning: Partial<CloudStackTuning> = {}) {
  fake = await startFakeCloudStack({ deployJobMs: 100, jobMs: 50, transientEvery: 0, ...options });
  const config: ConnectorConfig = {
    name: 'cs-fake',
    kind: 'cloudstack',
    endpoint: fake.endpoint,
    zone: 'ch-gv2',
    maxIaasWorkers: 2,
    defaultQuotaVms: 10,
    settings: {},
  };
  const secrets = { apiKey: fake.apiKey, secretKey: fake.secretKey };
  const fast = { pollDelaysMs: [50], readRetryDelaysMs: [20, 20], ...tuning };
  return { cloud: openCloudStack({ config, credentialId: 'cred-fake', secrets }, { now: () => new Date() }, fast), fake };
}

const request = (index: number, run = 'run_01jfake'): CreateInstanceRequest => ({
  tag: { run, node: 'web', index },
  name: `web.${index}`,
  imageId: FAKE_TEMPLATES[0].id,
  instanceType: 'Micro',
  boot: { outputs: [], inputs: {}, readiness: 'running' },
});

describe('cloudstack connector against the fake cloud', () => {
  it('finds by its name, and tags, the VM of a deploy whose answer was lost, making no second VM', async () => {
    // Prepare
    const { cloud, fake } = await openFake({ lostDeployResponses: 1 });
    const lost = await rejection(cloud.createInstance(request(1)));

    // Act
    const vm = await cloud.createInstance(request(1));

    // Assess
    expect(lost.name).toBe(CLOUD_ERROR.transient);
    expect(fake.vms().map((v) => v.id)).toEqual([vm.cloudId]);
    expect(await cloud.listInstances({ run: 'run_01jfake' })).toEqual([expect.objectContaining({ cloudId: vm.cloudId, tag: request(1).tag })]);
    expect(fake.calls.deployVirtualMachine).toBe(1);
  });

  it('turns a deploy job failing for capacity into a CapacityError and leaves no VM behind', async () => {
    // Prepare
    const { cloud, fake } = await openFake({ deployJobFailures: [{ errorcode: 533, errortext: 'Insufficient capacity to deploy VM' }] });

    // Act
    const error = await rejection(cloud.createInstance(request(1)));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.capacity);
    expect(fake.vms()).toEqual([]);
  });

  it("turns a deploy job refused for the account's resource limit into CloudQuotaExceededError", async () => {
    // Prepare
    const errortext = "Maximum number of resources of type 'user_vm' for account name=alice in domain id=1 has been exceeded.";
    const { cloud } = await openFake({ deployJobFailures: [{ errorcode: 535, errortext }] });

    // Act
    const error = await rejection(cloud.createInstance(request(1)));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.quotaExceeded);
    expect(error.message).toContain('has been exceeded');
  });

  it('returns the VM as pending, with its id, when the deploy job outlasts the wait', async () => {
    // Prepare
    const { cloud } = await openFake({ deployJobMs: 1500 }, { deployWaitMs: 200 });

    // Act
    const vm = await cloud.createInstance(request(1));

    // Assess
    expect(vm).toMatchObject({ cloudId: expect.any(String), state: 'pending', rawState: 'Starting' });
  });

  it('reads every page of a bulk list', async () => {
    // Prepare
    const { cloud, fake } = await openFake({}, { pageSize: 2 });
    for (const index of [1, 2, 3, 4, 5]) await cloud.createInstance(request(index));
    fake.resetCounters();

    // Act
    const vms = await cloud.listInstances({ run: 'run_01jfake' });

    // Assess
    expect(vms.map((vm) => vm.tag?.index).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(fake.calls.listVirtualMachines).toBe(3);
  });

  it('resolves the zone name and the offering once per connector, not once per VM', async () => {
    // Prepare
    const { cloud, fake } = await openFake();

    // Act
    await Promise.all([1, 2, 3].map((index) => cloud.createInstance(request(index))));

    // Assess
    expect(fake.calls.listZones).toBe(1);
    expect(fake.calls.listServiceOfferings).toBe(1);
  });

  it('gets its reads through a cloud that fails every other call', async () => {
    // Prepare
    const { cloud } = await openFake({ transientEvery: 2 });

    // Act
    const zones = await cloud.listZones();

    // Assess
    expect(zones.map((z) => z.name)).toEqual(['CH-GV2', 'CH-DK-2']);
  });

  it('refuses a zone the cloud does not have, naming it and the zones there are', async () => {
    // Prepare
    const { fake } = await openFake();
    const config: ConnectorConfig = {
      name: 'cs-nowhere',
      kind: 'cloudstack',
      endpoint: fake.endpoint,
      zone: 'atlantis',
      maxIaasWorkers: 1,
      defaultQuotaVms: 1,
      settings: {},
    };
    const cloud = openCloudStack({ config, credentialId: 'c', secrets: { apiKey: fake.apiKey, secretKey: fake.secretKey } }, { now: () => new Date() });

    // Act
    const error = await rejection(cloud.listInstances());

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toContain('zone atlantis');
    expect(error.message).toContain('CH-GV2, CH-DK-2');
  });
});
