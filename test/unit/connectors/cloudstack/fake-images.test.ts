/**
 * Image builds against the fake CloudStack (signatures checked, jobs timed): the VM
 * stopped once and only once, a slow stop answered NotReadyYetError and then
 * waited for through its inline job, a template followed from Creating to ready,
 * and a destroyed VM refused. Plus the mapping of template statuses.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorConfig, CreateImageRequest } from '#connectors/contract';
import { openCloudStack } from '#connectors/cloudstack/cloudstack-kind';
import type { CloudStackTuning } from '#connectors/cloudstack/context';
import { templateImageState } from '#connectors/cloudstack/templates';
import { CLOUD_ERROR } from '#connectors/errors';
import { FAKE_TEMPLATES } from '#test/fakes/cloudstack/catalogue';
import { startFakeCloudStack, type FakeCloudStack } from '#test/fakes/cloudstack/server';
import { rejection } from './recorded-world';

let fake: FakeCloudStack | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function startFake(jobMs = 50) {
  fake = await startFakeCloudStack({ deployJobMs: 50, jobMs, transientEvery: 0 });
  return fake;
}

function open(cloud: FakeCloudStack, tuning: Partial<CloudStackTuning> = {}) {
  const config: ConnectorConfig = {
    name: 'cs-img',
    kind: 'cloudstack',
    endpoint: cloud.endpoint,
    zone: 'CH-GV2',
    maxIaasWorkers: 2,
    defaultQuotaVms: 10,
    settings: {},
  };
  const secrets = { apiKey: cloud.apiKey, secretKey: cloud.secretKey };
  return openCloudStack({ config, credentialId: 'cred-img', secrets }, { now: () => new Date() }, { pollDelaysMs: [25], readRetryDelaysMs: [10], ...tuning });
}

/** A running VM of the fake cloud. */
async function runningVm(cloud: FakeCloudStack) {
  const vm = await open(cloud).createInstance({
    tag: { run: 'bld_01jfake', node: 'build', index: 1 },
    name: 'build.1',
    imageId: FAKE_TEMPLATES[0].id,
    instanceType: 'Micro',
    boot: { outputs: [], inputs: {}, readiness: 'running' },
  });
  return vm.cloudId;
}

const build = (cloudId: string, id = 'bld_01jfake'): CreateImageRequest => ({ cloudId, name: `slipway-mysql-${id}`, tag: { image: 'img_mysql', build: id } });

describe('cloudstack createImage against the fake cloud', () => {
  it('stops a running VM once, and makes each template of its ROOT volume with its template’s OS type', async () => {
    // Prepare
    const cloud = await startFake();
    const vmId = await runningVm(cloud);

    // Act
    const first = await open(cloud).createImage(build(vmId));
    const second = await open(cloud).createImage(build(vmId, 'bld_02jfake'));

    // Assess
    const vm = cloud.vms().find((v) => v.id === vmId)!;
    expect(vm.state).toBe('Stopped');
    expect(cloud.calls.stopVirtualMachine).toBe(1);
    expect(cloud.templates().map((t) => ({ id: t.id, volumeid: t.volumeid, ostypeid: t.ostypeid }))).toEqual([
      { id: first.imageId, volumeid: vm.rootvolumeid, ostypeid: FAKE_TEMPLATES[0].ostypeid },
      { id: second.imageId, volumeid: vm.rootvolumeid, ostypeid: FAKE_TEMPLATES[0].ostypeid },
    ]);
  });

  it('answers NotReadyYetError while the stop outlasts the wait, then waits for the same stop job on the retry', async () => {
    // Prepare
    const cloud = await startFake(400);
    const vmId = await runningVm(cloud);

    // Act
    const early = await rejection(open(cloud, { stopWaitMs: 50 }).createImage(build(vmId)));
    const retried = await open(cloud, { stopWaitMs: 3000 }).createImage(build(vmId));

    // Assess
    expect(early).toMatchObject({ name: CLOUD_ERROR.notReadyYet, message: expect.stringContaining('Stopping') });
    expect(retried.imageId).toBe(cloud.templates()[0]!.id);
    expect(cloud.calls.stopVirtualMachine).toBe(1);
    expect(cloud.calls.createTemplate).toBe(1);
  });

  it('follows the template from Creating to ready', async () => {
    // Prepare
    const cloud = await startFake(300);
    const vmId = await runningVm(cloud);
    const connector = open(cloud, { stopWaitMs: 3000 });
    const { imageId } = await connector.createImage(build(vmId));

    // Act
    const early = await connector.imageState(imageId);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const later = await connector.imageState(imageId);

    // Assess
    expect(early).toEqual({ state: 'pending', rawState: 'Creating' });
    expect(later).toEqual({ state: 'available', rawState: 'Download Complete' });
  });

  it('refuses a destroyed VM with a permanent error and makes no template', async () => {
    // Prepare
    const cloud = await startFake();
    const vmId = await runningVm(cloud);
    await open(cloud).terminateInstance(vmId);

    // Act
    const error = await rejection(open(cloud).createImage(build(vmId)));

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining(vmId) });
    expect(cloud.templates()).toEqual([]);
  });
});

describe('templateImageState', () => {
  it.each([
    [[{ id: 1, isready: true, status: 'Download Complete' }], 'available', 'Download Complete'],
    [[{ id: 1, isready: false, status: '45% Downloaded' }], 'pending', '45% Downloaded'],
    [[{ id: 1, isready: false }], 'pending', 'Processing'],
    [[{ id: 1, isready: false, status: 'Failed to create template: volume snapshot failed' }], 'failed', 'Failed to create template: volume snapshot failed'],
    [[{ id: 1, isready: false, status: 'UploadAbandoned' }], 'failed', 'UploadAbandoned'],
    [
      [
        { id: 1, isready: false, status: 'Installing Template' },
        { id: 1, isready: true, status: 'Download Complete' },
      ],
      'available',
      'Download Complete',
    ],
    [[], 'gone', 'absent'],
  ] as const)('reads %j as %s (%s)', (listed, state, rawState) => {
    // Act
    const read = templateImageState([...listed]);

    // Assess
    expect(read).toMatchObject({ state, rawState });
    if (state === 'failed') expect(read.reason).toBe(rawState);
  });
});
