/**
 * The sim's image builds over DynamoDB Local: one image per tag however builds race,
 * the VM stopped first, ready after bootSeconds, launchable and listed once ready,
 * deleted for good, and the create's seeded faults (a lost answer included).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, CreateImageRequest, CreateInstanceRequest } from '#connectors/contract';
import { imageTagKey } from '#connectors/commons/tag';
import { CLOUD_ERROR } from '#connectors/errors';
import { simFaultFor } from '#connectors/sim/fault-injection';
import { simKind } from '#connectors/sim/sim-kind';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

let stack: StepStack;
let now = new Date('2031-04-01T00:00:00Z');
let accounts = 0;

beforeAll(async () => {
  stack = await startStepStack();
});

afterAll(async () => {
  await stack?.stop();
});

/** Account `credentialId` of the sim connector, opened with `settings`, on the virtual clock `now`. */
function openAs(credentialId: string, settings: Record<string, unknown>): Connector {
  const config = { name: 'sim-img', kind: 'sim' as const, maxIaasWorkers: 2, defaultQuotaVms: 10, settings };
  return simKind.open({ config, credentialId, secrets: { apiKey: 'k', apiSecret: 's' } }, { table: stack.deps.table, now: () => now });
}

/** A fresh account. */
function openAccount(settings: Record<string, unknown> = { bootSeconds: 5 }): Connector {
  accounts += 1;
  return openAs(`cred-img-${accounts}`, settings);
}

const vmRequest = (run: string, imageId = 'sim-ubuntu-22.04'): CreateInstanceRequest => ({
  tag: { run, node: 'build', index: 1 },
  name: 'build.1',
  imageId,
  boot: { outputs: [], inputs: {}, readiness: 'running' },
});

const imageRequest = (cloudId: string, build = 'bld_1'): CreateImageRequest => ({
  cloudId,
  name: `slipway-mysql-${build}`,
  tag: { image: 'img_mysql', build },
});

/** A VM that runs (its boot time passed). */
async function runningVm(cloud: Connector, run: string) {
  const vm = await cloud.createInstance(vmRequest(run));
  now = new Date(now.getTime() + 10_000);
  return vm;
}

describe('sim createImage', () => {
  it('makes one image for a tag however many builds race for it, and stops the VM', async () => {
    // Prepare
    const cloud = openAccount();
    const vm = await runningVm(cloud, 'bld_race');

    // Act
    const made = await Promise.all(Array.from({ length: 5 }, () => cloud.createImage(imageRequest(vm.cloudId))));

    // Assess
    expect(new Set(made.map((m) => m.imageId)).size).toBe(1);
    expect(made[0]!.imageId).toMatch(/^sim-img-/);
    expect(await cloud.listInstances({ run: 'bld_race' })).toEqual([expect.objectContaining({ state: 'stopped', rawState: 'Stopped' })]);
  });

  it('keeps the image pending for bootSeconds, then available', async () => {
    // Prepare
    const cloud = openAccount();
    const vm = await runningVm(cloud, 'bld_ready');
    const { imageId } = await cloud.createImage(imageRequest(vm.cloudId));

    // Act
    const early = await cloud.imageState(imageId);
    now = new Date(now.getTime() + 5_000);
    const later = await cloud.imageState(imageId);

    // Assess
    expect(early).toEqual({ state: 'pending', rawState: 'Creating' });
    expect(later).toEqual({ state: 'available', rawState: 'Ready' });
  });

  it('answers NotReadyYetError for a VM still booting, and a permanent error for a VM that is gone', async () => {
    // Prepare
    const cloud = openAccount();
    const gone = await runningVm(cloud, 'bld_gone');
    await cloud.terminateInstance(gone.cloudId);
    const booting = await cloud.createInstance(vmRequest('bld_boot'));

    // Act
    const early = await cloud.createImage(imageRequest(booting.cloudId)).catch((e: Error) => e);
    const late = await cloud.createImage(imageRequest(gone.cloudId, 'bld_2')).catch((e: Error) => e);
    const never = await cloud.createImage(imageRequest('vm-never-made', 'bld_3')).catch((e: Error) => e);

    // Assess
    expect(early).toMatchObject({ name: CLOUD_ERROR.notReadyYet });
    expect(late).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining(gone.cloudId) });
    expect(never).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining('vm-never-made') });
  });

  it('launches and lists a built image once it is available, and refuses it while pending', async () => {
    // Prepare
    const cloud = openAccount();
    const vm = await runningVm(cloud, 'bld_use');
    const { imageId } = await cloud.createImage(imageRequest(vm.cloudId));

    // Act
    const tooEarly = await cloud.createInstance(vmRequest('run_early', imageId)).catch((e: Error) => e);
    const listedEarly = await cloud.listImages();
    now = new Date(now.getTime() + 5_000);
    const launched = await cloud.createInstance(vmRequest('run_use', imageId));
    const listed = await cloud.listImages();

    // Assess
    expect(tooEarly).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining('pending') });
    expect(listedEarly.map((i) => i.id)).not.toContain(imageId);
    expect(launched.cloudId).toEqual(expect.any(String));
    expect(listed).toEqual(expect.arrayContaining([{ id: imageId, name: 'slipway-mysql-bld_1' }, expect.objectContaining({ id: 'sim-ubuntu-22.04' })]));
  });

  it('deletes an image for good: gone, unlisted, not launchable, and a second delete is no error', async () => {
    // Prepare
    const cloud = openAccount({ bootSeconds: 0 });
    const vm = await runningVm(cloud, 'bld_del');
    const { imageId } = await cloud.createImage(imageRequest(vm.cloudId));

    // Act
    await cloud.deleteImage(imageId);
    await cloud.deleteImage(imageId);
    const state = await cloud.imageState(imageId);
    const launch = await cloud.createInstance(vmRequest('run_del', imageId)).catch((e: Error) => e);

    // Assess
    expect(state).toMatchObject({ state: 'gone', rawState: 'Deleted' });
    expect((await cloud.listImages()).map((i) => i.id)).not.toContain(imageId);
    expect(launch).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining(imageId) });
  });

  it('reports ids it never built as gone, and deleting one is no error', async () => {
    // Prepare
    const cloud = openAccount();

    // Act
    const states = await Promise.all(['sim-img-never', 'sim-ubuntu-22.04', 'ami-123'].map((id) => cloud.imageState(id)));
    const deleted = cloud.deleteImage('sim-img-never');

    // Assess
    expect(states.map((s) => s.state)).toEqual(['gone', 'gone', 'gone']);
    await expect(deleted).resolves.toBeUndefined();
  });
});

describe('sim createImage faults', () => {
  /** A VM made while the account's connector injects nothing; then the same account opened with `faults`. */
  async function vmThenFaults(faults: Record<string, unknown>) {
    accounts += 1;
    const credentialId = `cred-img-${accounts}`;
    const vm = await openAs(credentialId, { bootSeconds: 0 }).createInstance(vmRequest('bld_faults'));
    return { vm, cloud: openAs(credentialId, { bootSeconds: 0, ...faults }) };
  }

  it('refuses every build of a connector whose permanent failure rate is 1, making nothing', async () => {
    // Prepare
    const { vm, cloud } = await vmThenFaults({ permanentFailureRate: 1 });

    // Act
    const error = await cloud.createImage(imageRequest(vm.cloudId)).catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining('injected permanent failure') });
    expect((await cloud.listImages()).map((i) => i.id).filter((id) => id.startsWith('sim-img-'))).toEqual([]);
    expect(await cloud.listInstances({ run: 'bld_faults' })).toEqual([expect.objectContaining({ state: 'running' })]);
  });

  it('answers a build whose answer was lost with the image it made, on the retry', async () => {
    // Prepare: a build whose first attempt draws a lost response under seed 1 (the retry finds the image before any draw)
    const faults = { seed: 1, transientFailureRate: 0.5 };
    const draw = (build: string, attempt: number) => simFaultFor({ permanentFailureRate: 0, ...faults }, imageTagKey({ image: 'img_mysql', build }), attempt);
    const build = Array.from({ length: 200 }, (_, i) => `bld_lost${i}`).find((b) => draw(b, 1) === 'lostResponse')!;
    const { vm, cloud } = await vmThenFaults(faults);

    // Act
    const first = await cloud.createImage(imageRequest(vm.cloudId, build)).catch((e: Error) => e);
    const retry = await cloud.createImage(imageRequest(vm.cloudId, build));

    // Assess
    expect(first).toMatchObject({ name: CLOUD_ERROR.transient, message: expect.stringContaining('lost response') });
    expect(retry.imageId).toMatch(/^sim-img-/);
    expect((await cloud.listImages()).filter((i) => i.id.startsWith('sim-img-'))).toEqual([{ id: retry.imageId, name: `slipway-mysql-${build}` }]);
  });
});
