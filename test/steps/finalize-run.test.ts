import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashToken } from '#functions/commons/api-keys';
import { beginFinalizing } from '#functions/steps/begin-finalizing';
import { createInstance } from '#functions/steps/create-instance';
import { RunAbortedError } from '#functions/domain/errors';
import { finalizeRun } from '#functions/steps/finalize-run';
import { initializeRun } from '#functions/steps/initialize-run';
import { recordTerminateFailure } from '#functions/steps/record-terminate-failure';
import { terminateInstance } from '#functions/steps/terminate-instance';
import { getItem } from '#functions/store/items';
import { keys } from '#functions/store/keys';
import { quotaFor } from '#functions/store/quotas';
import { listUsage } from '#functions/store/usage';
import { launchRun, moveAlong, plannedRun, rejectionOf, runOf, type RunOptions } from '#test/runs/support/run-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));
vi.mock('#connectors/implementations', async (original) => (await import('#test/support/scripted-connector')).withScriptedImplementation(await original()));

let stack: StepStack;

beforeAll(async () => {
  stack = await startStepStack();
});

afterAll(async () => {
  stack?.setNow(undefined);
  await stack?.stop();
});

const at = (iso: string) => stack.setNow(new Date(iso));

/** A run whose VMs were created at `createdAt`, moved to Finalizing (with `error` if given), VMs not terminated yet. */
async function finalizingRun(createdAt: string, options: RunOptions & { error?: { Error: string; Cause: string } } = {}) {
  at(createdAt);
  const world = await plannedRun(stack, options);
  for (const ref of world.plan.instances) await createInstance(ref, stack.deps);
  await moveAlong(stack, world.runId, 'Executing', 'Ready');
  await beginFinalizing({ runId: world.runId, error: options.error }, stack.deps);
  return world;
}

async function terminateAll(runId: string, nodes: [string, number][]) {
  for (const [node, index] of nodes) await terminateInstance({ runId, node, index }, stack.deps);
}

const usageOf = async (owner: string) => (await listUsage(stack.deps.table, owner, { from: '2000-01-01', to: '2100-01-01' }, { limit: 100 })).items;

describe('FinalizeRun', () => {
  it('ends a run whose VMs are all terminated Done', async () => {
    // Prepare
    const { runId } = await finalizingRun('2031-01-01T10:00:00.000Z');
    await terminateAll(runId, [
      ['db', 1],
      ['web', 1],
      ['web', 2],
    ]);
    // Act
    const outcome = await finalizeRun({ runId }, stack.deps);
    // Assess
    const run = await runOf(stack, runId);
    expect(outcome).toEqual({ state: 'Done', ended: true });
    expect(run.state).toBe('Done');
    expect(run.abortReason).toBeUndefined();
  });

  it('writes VM seconds per UTC day and connector, from each create to its terminate', async () => {
    // Prepare
    const { runId, owner, connector } = await finalizingRun('2031-01-01T23:59:00.000Z', { nodes: [{ name: 'db', multiplicity: 2 }] });
    at('2031-01-02T00:01:00.000Z');
    await terminateAll(runId, [['db', 1]]);
    at('2031-01-02T00:02:00.000Z');
    await terminateAll(runId, [['db', 2]]);
    // Act
    await finalizeRun({ runId }, stack.deps);
    // Assess
    expect(await usageOf(owner)).toEqual([
      {
        user: owner,
        connector,
        run: runId,
        day: '2031-01-01',
        vmSeconds: 120,
        byInstanceType: { default: 120 },
        instances: [
          { instance: 'db.1', from: '2031-01-01T23:59:00.000Z', to: '2031-01-02T00:00:00.000Z', vmSeconds: 60 },
          { instance: 'db.2', from: '2031-01-01T23:59:00.000Z', to: '2031-01-02T00:00:00.000Z', vmSeconds: 60 },
        ],
      },
      {
        user: owner,
        connector,
        run: runId,
        day: '2031-01-02',
        vmSeconds: 180,
        byInstanceType: { default: 180 },
        instances: [
          { instance: 'db.1', from: '2031-01-02T00:00:00.000Z', to: '2031-01-02T00:01:00.000Z', vmSeconds: 60 },
          { instance: 'db.2', from: '2031-01-02T00:00:00.000Z', to: '2031-01-02T00:02:00.000Z', vmSeconds: 120 },
        ],
      },
    ]);
  });

  it('totals VM-seconds per instance type', async () => {
    // Prepare
    const { runId, owner } = await finalizingRun('2031-01-10T10:00:00.000Z', {
      nodes: [
        { name: 'db', machine: { instanceType: 'm1.large' } },
        { name: 'web', multiplicity: 2 },
      ],
    });
    at('2031-01-10T11:00:00.000Z');
    await terminateAll(runId, [
      ['db', 1],
      ['web', 1],
      ['web', 2],
    ]);
    // Act
    await finalizeRun({ runId }, stack.deps);
    // Assess
    const [record] = (await usageOf(owner)).filter((u) => u.run === runId);
    expect(record?.byInstanceType).toEqual({ 'm1.large': 3600, default: 7200 });
    expect(record?.instances?.map((i) => [i.instance, i.instanceType, i.vmSeconds])).toEqual([
      ['db.1', 'm1.large', 3600],
      ['web.1', undefined, 3600],
      ['web.2', undefined, 3600],
    ]);
  });

  it('writes each usage record once: a retry after a crash, later, finds them and writes the same values', async () => {
    // Prepare: a VM still alive, and a first attempt that dies after writing the usage records, before the run ends.
    const { runId, owner } = await finalizingRun('2031-01-20T10:00:00.000Z', { nodes: [{ name: 'db' }] });
    at('2031-01-20T10:10:00.000Z');
    let [usageWritten, crashed] = [false, false];
    const send = stack.deps.table.doc.send.bind(stack.deps.table.doc);
    // The same client (paginators check its class) with its `send` wrapped.
    const doc: typeof stack.deps.table.doc = Object.create(stack.deps.table.doc);
    doc.send = (async (command: unknown) => {
      if (command instanceof PutCommand && String(command.input.Item?.pk).startsWith('USAGE#')) usageWritten = true;
      if (usageWritten && !crashed && command instanceof TransactWriteCommand) {
        crashed = true;
        throw new Error('the step died');
      }
      return send(command as never);
    }) as typeof doc.send;
    const crashing = { ...stack.deps, table: { name: stack.deps.table.name, doc } };
    await rejectionOf(finalizeRun({ runId }, crashing));
    const first = await usageOf(owner);
    at('2031-01-21T09:00:00.000Z');
    // Act
    await rejectionOf(finalizeRun({ runId }, stack.deps));
    // Assess: counted up to the first attempt's instant (600 s), not the retry's, and no record for the next day.
    expect(crashed).toBe(true);
    expect(first.map((u) => [u.day, u.vmSeconds])).toEqual([['2031-01-20', 600]]);
    expect(await usageOf(owner)).toEqual(first);
    expect((await runOf(stack, runId)).state).toBe('Aborted');
  });

  it("names the order on the usage records of an order's run", async () => {
    // Prepare
    const { runId, owner } = await finalizingRun('2031-01-25T10:00:00.000Z', { sponsored: true, nodes: [{ name: 'db' }] });
    at('2031-01-25T10:05:00.000Z');
    await terminateAll(runId, [['db', 1]]);
    const run = await runOf(stack, runId);
    // Act
    await finalizeRun({ runId }, stack.deps);
    // Assess
    expect((await usageOf(owner)).map((u) => [u.run, u.order, u.vmSeconds])).toEqual([[runId, run.sponsor!.order, 300]]);
  });

  it('counts a VM that is still alive up to now', async () => {
    // Prepare
    const { runId, owner } = await finalizingRun('2031-02-01T10:00:00.000Z', { nodes: [{ name: 'db' }] });
    at('2031-02-01T10:00:30.000Z');
    // Act (the run ends Aborted: its VM is still alive)
    await rejectionOf(finalizeRun({ runId }, stack.deps));
    // Assess
    expect((await usageOf(owner)).map((u) => u.vmSeconds)).toEqual([30]);
  });

  it('ends the run Aborted, naming each VM left behind and why, when a VM could not be terminated', async () => {
    // Prepare
    const { runId } = await finalizingRun('2031-03-01T10:00:00.000Z');
    await terminateAll(runId, [['web', 1]]);
    await recordTerminateFailure({ runId, node: 'web', index: 2, error: { Error: 'TransientCloudError', Cause: 'busy' } }, stack.deps);
    // Act
    const error = await rejectionOf(finalizeRun({ runId }, stack.deps));
    // Assess
    const reason = 'VMs not terminated: db.1 (pending), web.2 (could not terminate: The cloud kept failing: busy)';
    expect(error).toBeInstanceOf(RunAbortedError);
    expect(error).toMatchObject({ name: 'RunAborted', message: reason, ended: true });
    const run = await runOf(stack, runId);
    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toBe(reason);
  });

  it('ends a run that failed Aborted with the reason of its failure', async () => {
    // Prepare
    const { runId } = await finalizingRun('2031-04-01T10:00:00.000Z', { nodes: [{ name: 'db' }], error: { Error: 'BootTimeoutError', Cause: 'too slow' } });
    await terminateAll(runId, [['db', 1]]);
    // Act
    const error = await rejectionOf(finalizeRun({ runId }, stack.deps));
    // Assess
    expect(error).toMatchObject({ name: 'RunAborted', message: 'Boot deadline passed: too slow', ended: true });
    expect((await runOf(stack, runId)).abortReason).toBe('Boot deadline passed: too slow');
  });

  it('revokes the run tokens its VMs were given', async () => {
    // Prepare
    const { runId, cloud } = await finalizingRun('2031-05-01T10:00:00.000Z', { nodes: [{ name: 'db' }] });
    await terminateAll(runId, [['db', 1]]);
    const token = cloud.callsOf('createInstance')[0]!.request.boot.token!;
    const before = await getItem(stack.deps.table, keys.apiKey(hashToken(token)));
    // Act
    await finalizeRun({ runId }, stack.deps);
    // Assess
    expect(before).toBeDefined();
    expect(await getItem(stack.deps.table, keys.apiKey(hashToken(token)))).toBeUndefined();
  });

  it('leaves a run that has ended as it is, usage included', async () => {
    // Prepare
    const { runId, owner } = await finalizingRun('2031-06-01T10:00:00.000Z', { nodes: [{ name: 'db' }] });
    at('2031-06-01T10:01:00.000Z');
    await rejectionOf(finalizeRun({ runId }, stack.deps));
    const run = await runOf(stack, runId);
    at('2031-06-01T11:00:00.000Z');
    // Act
    const error = await rejectionOf(finalizeRun({ runId }, stack.deps));
    // Assess
    expect(error).toMatchObject({ name: 'RunAborted', message: run.abortReason, ended: false });
    expect(await runOf(stack, runId)).toEqual(run);
    expect((await usageOf(owner)).map((u) => u.vmSeconds)).toEqual([60]);
  });

  it('gives back the VMs the run reserved, once, even when repeated', async () => {
    // Prepare
    const { runId, owner, connector } = await finalizingRun('2031-07-01T10:00:00.000Z');
    await terminateAll(runId, [
      ['db', 1],
      ['web', 1],
      ['web', 2],
    ]);
    const before = (await quotaFor(stack.deps.table, owner, connector))!.used;
    // Act
    await finalizeRun({ runId }, stack.deps);
    await finalizeRun({ runId }, stack.deps);
    // Assess
    expect(before).toBe(3);
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(0);
    expect((await runOf(stack, runId)).quotaReleased).toBe(true);
  });

  it("gives an order's VMs back to the vendor's quota", async () => {
    // Prepare
    const { runId, vendor, connector } = await finalizingRun('2031-08-01T10:00:00.000Z', { sponsored: true, nodes: [{ name: 'db' }] });
    await terminateAll(runId, [['db', 1]]);
    const before = (await quotaFor(stack.deps.table, vendor!, connector))!.used;
    // Act
    await finalizeRun({ runId }, stack.deps);
    // Assess
    expect(before).toBe(1);
    expect((await quotaFor(stack.deps.table, vendor!, connector))!.used).toBe(0);
  });

  it('gives back nothing for a run that never reserved (it failed before)', async () => {
    // Prepare
    const { runId, owner, connector } = await launchRun(stack, { defaultQuotaVms: 1 });
    await rejectionOf(initializeRun({ runId }, stack.deps));
    await beginFinalizing({ runId, error: { Error: 'QuotaExceededError', Cause: 'quota' } }, stack.deps);
    // Act
    await rejectionOf(finalizeRun({ runId }, stack.deps));
    // Assess
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(0);
    expect((await runOf(stack, runId)).quotaReleased).toBeUndefined();
  });

  it('fails for a run that does not exist', async () => {
    // Act
    const error = await rejectionOf(finalizeRun({ runId: 'run_missing' }, stack.deps));
    // Assess
    expect(error.message).toBe('run run_missing does not exist');
  });
});
