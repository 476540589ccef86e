/**
 * The sim cloud's lifecycle over DynamoDB Local: one VM per tag however creates
 * race, unknown images refused, a terminated VM kept for a day and then forgotten
 * (so its tag is free again), and table failures classified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, CreateInstanceRequest } from '#connectors/contract';
import { CLOUD_ERROR } from '#connectors/errors';
import { simKind } from '#connectors/sim/sim-kind';
import { isTransientTableError, toCloudError } from '#connectors/sim/table-errors';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

let stack: StepStack;
let now = new Date('2031-03-01T00:00:00Z');
let accounts = 0;

beforeAll(async () => {
  stack = await startStepStack();
});

afterAll(async () => {
  await stack?.stop();
});

/** A fresh account of a sim connector (boot 0 s) on the virtual clock `now`. */
function openAccount(): Connector {
  accounts += 1;
  const config = { name: 'sim-life', kind: 'sim' as const, maxIaasWorkers: 2, defaultQuotaVms: 10, settings: { bootSeconds: 0 } };
  return simKind.open({ config, credentialId: `cred-life-${accounts}`, secrets: { apiKey: 'k', apiSecret: 's' } }, { table: stack.deps.table, now: () => now });
}

const request = (run: string, imageId = 'sim-debian-12'): CreateInstanceRequest => ({
  tag: { run, node: 'web', index: 1 },
  name: 'web.1',
  imageId,
  boot: { outputs: [], inputs: {}, readiness: 'running' },
});

describe('sim lifecycle', () => {
  it('makes one VM for a tag however many creates race for it', async () => {
    // Prepare
    const cloud = openAccount();

    // Act
    const made = await Promise.all(Array.from({ length: 6 }, () => cloud.createInstance(request('run_race'))));

    // Assess
    expect(new Set(made.map((vm) => vm.cloudId)).size).toBe(1);
    expect((await cloud.listInstances({ run: 'run_race' })).length).toBe(1);
  });

  it('refuses an image it does not have, naming it, and makes nothing', async () => {
    // Prepare
    const cloud = openAccount();

    // Act
    const error = await cloud.createInstance(request('run_img', 'ami-nope')).catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.permanent });
    expect((error as Error).message).toContain('ami-nope');
    expect(await cloud.listInstances({ run: 'run_img' })).toEqual([]);
  });

  it('answers a create for a terminated VM with that VM for a day, then makes a new one', async () => {
    // Prepare
    const cloud = openAccount();
    const first = await cloud.createInstance(request('run_day'));
    await cloud.terminateInstance(first.cloudId);
    now = new Date(now.getTime() + 60 * 60 * 1000);
    const sameDay = await cloud.createInstance(request('run_day'));

    // Act
    now = new Date(now.getTime() + 25 * 60 * 60 * 1000);
    const nextDay = await cloud.createInstance(request('run_day'));

    // Assess
    expect(sameDay).toMatchObject({ cloudId: first.cloudId, state: 'terminated' });
    expect(nextDay.cloudId).not.toBe(first.cloudId);
    expect(nextDay.state).not.toBe('terminated');
  });

  it('keeps the first termination time when a VM is terminated twice', async () => {
    // Prepare
    const cloud = openAccount();
    const vm = await cloud.createInstance(request('run_twice'));
    await cloud.terminateInstance(vm.cloudId);
    now = new Date(now.getTime() + 23 * 60 * 60 * 1000);

    // Act: terminated again a day later; the VM must still vanish 24 h after the first time
    await cloud.terminateInstance(vm.cloudId);
    now = new Date(now.getTime() + 2 * 60 * 60 * 1000);
    const listed = await cloud.listInstances({ run: 'run_twice' });

    // Assess
    expect(listed).toEqual([]);
  });

  it('counts a terminate of an id it never made as done', async () => {
    // Act
    const done = openAccount().terminateInstance('vm-never-made');

    // Assess
    await expect(done).resolves.toBeUndefined();
  });
});

describe('sim table errors', () => {
  it('takes only error objects the SDK classifies as retryable for transient', () => {
    // Act
    const verdicts = [null, undefined, 'throttled', 42].map(isTransientTableError);
    const throttled = isTransientTableError({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const server = isTransientTableError({ name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });

    // Assess
    expect(verdicts).toEqual([false, false, false, false]);
    expect(throttled).toBe(true);
    expect(server).toBe(true);
  });

  it('keeps the SDK error as the cause and names the operation', () => {
    // Prepare
    const sdkError = Object.assign(new Error('boom'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });

    // Act
    const error = toCloudError('list', sdkError);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.permanent, message: 'sim: list failed (ValidationException)', cause: sdkError });
  });
});
