import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, CreateInstanceRequest, InstanceTag } from '#connectors/contract';
import { PermanentCloudError, TransientCloudError } from '#connectors/errors';
import { simFaultFor } from '#connectors/sim/fault-injection';
import { simKind } from '#connectors/sim/sim-kind';
import { documentClient } from '#functions/commons/clients';
import type { TableClient } from '#functions/store/table-client';
import { LOCAL_AWS, freePort } from '#infra/local/dynamodb';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

/** DynamoDB Local with a table of this file's own (shared with other files under the fast config). */
let stack: StepStack;
let table: TableClient;

/** A clock the tests move by hand: the sim reads time only through it. */
let clock = new Date('2030-01-01T00:00:00.000Z');
const advance = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));

/** Each test opens its own connector instance, so their VMs never meet. */
let connectors = 0;
function openSim(settings: Record<string, unknown> = {}, options: { name?: string; credentialId?: string } = {}) {
  const name = options.name ?? `sim-test-${++connectors}`;
  return simKind.open(
    {
      config: { name, kind: 'sim', maxIaasWorkers: 4, defaultQuotaVms: 10, settings },
      credentialId: options.credentialId ?? 'cred-1',
      secrets: { apiKey: 'key', apiSecret: 'secret' },
    },
    { table, now: () => clock },
  );
}

function request(tag: Partial<InstanceTag> = {}, outputs: CreateInstanceRequest['boot']['outputs'] = []): CreateInstanceRequest {
  const full = { run: 'run-a', node: 'web', index: 1, ...tag };
  return {
    tag: full,
    name: `${full.node}.${full.index}`,
    imageId: 'sim-ubuntu-22.04',
    instanceType: 'small',
    boot: { outputs, inputs: {}, readiness: 'callback', token: 'run-scoped-token' },
  };
}

/** Calls `create` `times` times in a row, keeping what each call threw. */
async function attempts(connector: Connector, req: CreateInstanceRequest, times: number): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (let i = 0; i < times; i++) await connector.createInstance(req).catch((error: unknown) => errors.push(error));
  return errors;
}

beforeAll(async () => {
  stack = await startStepStack();
  table = stack.deps.table;
});

afterAll(async () => {
  await stack?.stop();
});

describe('sim connector boot', () => {
  it('reports a new VM pending, then running once its boot time has passed', async () => {
    // Prepare
    const sim = openSim({ bootSeconds: 30 });

    // Act
    const created = await sim.createInstance(request());
    advance(29);
    const [booting] = await sim.listInstances();
    advance(1);
    const [booted] = await sim.listInstances();

    // Assess
    expect(created.state).toBe('pending');
    expect(booting).toMatchObject({ cloudId: created.cloudId, state: 'pending', rawState: 'Starting' });
    expect(booted).toMatchObject({ cloudId: created.cloudId, state: 'running', rawState: 'Running' });
  });

  it('publishes hostname, ip and the declared output defaults only once running', async () => {
    // Prepare
    const sim = openSim({ bootSeconds: 10 });
    const outputs = [{ name: 'hostname' }, { name: 'port', default: '3306' }, { name: 'password' }];
    const created = await sim.createInstance(request({ node: 'db', index: 2 }, outputs));

    // Act
    advance(10);
    const [running] = await sim.listInstances();

    // Assess
    expect(created.published).toBeUndefined();
    expect(running?.published).toEqual({ hostname: 'db-2.run-a.sim.internal', ip: created.ip, port: '3306' });
    expect(running?.ip).toMatch(/^10\.\d+\.\d+\.\d+$/);
  });
});

describe('sim connector idempotent create', () => {
  it('a retried create finds the VM it already made', async () => {
    // Prepare
    const sim = openSim();
    const first = await sim.createInstance(request());

    // Act
    const retried = await sim.createInstance(request());
    const listed = await sim.listInstances();

    // Assess
    expect(retried.cloudId).toBe(first.cloudId);
    expect(listed.map((vm) => vm.cloudId)).toEqual([first.cloudId]);
  });

  it('concurrent creates for one tag make one VM and all return it', async () => {
    // Prepare
    const sim = openSim();

    // Act
    const results = await Promise.all(Array.from({ length: 8 }, () => sim.createInstance(request())));
    const listed = await sim.listInstances();

    // Assess
    expect(new Set(results.map((vm) => vm.cloudId)).size).toBe(1);
    expect(listed).toHaveLength(1);
  });

  it('a create after terminate returns the terminated VM instead of making another', async () => {
    // Prepare
    const sim = openSim();
    const first = await sim.createInstance(request());
    await sim.terminateInstance(first.cloudId);

    // Act
    const again = await sim.createInstance(request());

    // Assess
    expect(again).toMatchObject({ cloudId: first.cloudId, state: 'terminated' });
    expect(await sim.listInstances()).toHaveLength(1);
  });
});

describe('sim connector fault injection', () => {
  it('with every attempt failing transiently, a VM exists exactly for the tags where an attempt made it before failing', async () => {
    // Prepare
    const settings = { transientFailureRate: 1, permanentFailureRate: 0, seed: 8 };
    const sim = openSim(settings);
    const indexes = [1, 2, 3, 4, 5, 6];
    const madeBeforeFailing = indexes.filter((index) => [1, 2, 3].some((attempt) => simFaultFor(settings, `run-a#web#${index}`, attempt) === 'lostResponse'));

    // Act
    const errors = (await Promise.all(indexes.map((index) => attempts(sim, request({ index }), 3)))).flat();
    const listed = await sim.listInstances();

    // Assess
    expect(errors).toHaveLength(18);
    for (const error of errors) expect(error).toBeInstanceOf(TransientCloudError);
    expect(madeBeforeFailing.length).toBeGreaterThan(0);
    expect(madeBeforeFailing.length).toBeLessThan(indexes.length);
    expect(listed.map((vm) => vm.tag?.index).sort()).toEqual(madeBeforeFailing);
  });

  it('with every attempt failing for good, no VM is ever made', async () => {
    // Prepare
    const sim = openSim({ permanentFailureRate: 1 });

    // Act
    const errors = await attempts(sim, request(), 5);
    const listed = await sim.listInstances();

    // Assess
    expect(errors).toHaveLength(5);
    for (const error of errors) expect(error).toBeInstanceOf(PermanentCloudError);
    expect(listed).toEqual([]);
  });

  it('replays the same failures for the same seed', async () => {
    // Prepare
    const outcome = async (sim: Connector) => (await attempts(sim, request(), 6)).map((error) => (error as Error).name);

    // Act
    const first = await outcome(openSim({ transientFailureRate: 0.5, seed: 3 }, { name: 'sim-replay-a' }));
    const second = await outcome(openSim({ transientFailureRate: 0.5, seed: 3 }, { name: 'sim-replay-b' }));

    // Assess
    expect(first).toContain('TransientCloudError');
    expect(second).toEqual(first);
  });
});

describe('sim connector terminate and listing', () => {
  it('terminate is idempotent and the listing shows the VM terminated', async () => {
    // Prepare
    const sim = openSim();
    const vm = await sim.createInstance(request());

    // Act
    await sim.terminateInstance(vm.cloudId);
    await sim.terminateInstance(vm.cloudId);
    await sim.terminateInstance('vm-never-existed');
    const listed = await sim.listInstances();

    // Assess
    expect(listed).toEqual([{ cloudId: vm.cloudId, tag: vm.tag, state: 'terminated', rawState: 'Destroyed' }]);
  });

  it('a terminated VM drops out of the listing a day later', async () => {
    // Prepare
    const sim = openSim();
    const vm = await sim.createInstance(request());
    await sim.terminateInstance(vm.cloudId);

    // Act
    advance(24 * 60 * 60 - 1);
    const stillShown = await sim.listInstances();
    advance(1);
    const forgotten = await sim.listInstances();

    // Assess
    expect(stillShown).toHaveLength(1);
    expect(forgotten).toEqual([]);
  });

  it('listing by run shows only that run VMs', async () => {
    // Prepare
    const sim = openSim();
    await sim.createInstance(request({ run: 'run-a' }));
    const b = await sim.createInstance(request({ run: 'run-b' }));

    // Act
    const listed = await sim.listInstances({ run: 'run-b' });

    // Assess
    expect(listed.map((vm) => vm.cloudId)).toEqual([b.cloudId]);
  });

  it('keeps the accounts of two credentials apart', async () => {
    // Prepare
    const alice = openSim({}, { name: 'sim-shared', credentialId: 'cred-alice' });
    const bob = openSim({}, { name: 'sim-shared', credentialId: 'cred-bob' });
    const alicesVm = await alice.createInstance(request());

    // Act
    const bobsVm = await bob.createInstance(request());
    await bob.terminateInstance(alicesVm.cloudId);
    const alicesList = await alice.listInstances();
    const bobsList = await bob.listInstances();

    // Assess
    expect(bobsVm.cloudId).not.toBe(alicesVm.cloudId);
    expect(alicesList).toEqual([expect.objectContaining({ cloudId: alicesVm.cloudId, state: 'pending' })]);
    expect(bobsList.map((vm) => vm.cloudId)).toEqual([bobsVm.cloudId]);
  });
});

describe('sim connector table failures', () => {
  it('a table it cannot reach surfaces as a transient cloud error', async () => {
    // Prepare
    const unreachable = new DynamoDBClient({ endpoint: `http://127.0.0.1:${await freePort()}`, maxAttempts: 1, ...LOCAL_AWS });
    const sim = simKind.open(
      {
        config: { name: 'sim-down', kind: 'sim', maxIaasWorkers: 1, defaultQuotaVms: 1, settings: {} },
        credentialId: 'cred-1',
        secrets: { apiKey: 'key', apiSecret: 'secret' },
      },
      { table: { doc: documentClient(unreachable), name: table.name }, now: () => clock },
    );

    // Act
    const listing = sim.listInstances();

    // Assess
    await expect(listing).rejects.toBeInstanceOf(TransientCloudError);
    unreachable.destroy();
  });
});
