/**
 * FinalizeRun's safety net: each cloud account a run used is asked for the run's
 * VMs, and those no record knows of are terminated; what teardown already handled,
 * other runs' VMs and an unreachable cloud are not touched, and failures are named.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TransientCloudError } from '#connectors/errors';
import { sweepLeftoverVms } from '#functions/runs/leftover-sweep';
import { createInstance } from '#functions/steps/create-instance';
import { terminateInstance } from '#functions/steps/terminate-instance';
import { listRunInstances } from '#functions/store/runs';
import { plannedRun, tagOf } from '#test/runs/support/run-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));
vi.mock('#connectors/implementations', async (original) => (await import('#test/support/scripted-connector')).withScriptedImplementation(await original()));

let stack: StepStack;

beforeAll(async () => {
  stack = await startStepStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('sweepLeftoverVms', () => {
  it('terminates the VMs tagged with the run that no record knows of, and only those', async () => {
    // Prepare: db.1 made and torn down; a stray VM of the run; a VM of another run in the same account
    const { runId, cloud } = await plannedRun(stack, { nodes: [{ name: 'db' }] });
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    await terminateInstance({ runId, node: 'db', index: 1 }, stack.deps);
    cloud.hold({ cloudId: 'vm-stray', tag: tagOf(runId, 'db', 2), state: 'running' });
    cloud.hold({ cloudId: 'vm-other-run', tag: tagOf('run_other', 'db', 1), state: 'running' });
    cloud.hold({ cloudId: 'vm-gone', tag: tagOf(runId, 'db', 3), state: 'terminated' });
    cloud.calls.length = 0;

    // Act
    const result = await sweepLeftoverVms(stack.deps, runId, await listRunInstances(stack.deps.table, runId));

    // Assess
    expect(result).toEqual({ terminated: ['vm-stray'], failures: [] });
    expect(cloud.calls.filter((c) => c.op === 'terminateInstance')).toEqual([{ op: 'terminateInstance', cloudId: 'vm-stray' }]);
  });

  it('asks each account once, for the run only', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack, { nodes: [{ name: 'db' }, { name: 'web', multiplicity: 2 }] });
    cloud.calls.length = 0;

    // Act
    await sweepLeftoverVms(stack.deps, runId, await listRunInstances(stack.deps.table, runId));

    // Assess
    expect(cloud.calls).toEqual([{ op: 'listInstances', filter: { run: runId } }]);
  });

  it('names an account it could not check, and goes on', async () => {
    // Prepare
    const { runId, cloud, connector } = await plannedRun(stack, { nodes: [{ name: 'db' }] });
    cloud.failNext('listInstances', new TransientCloudError('the cloud is down'));

    // Act
    const result = await sweepLeftoverVms(stack.deps, runId, await listRunInstances(stack.deps.table, runId));

    // Assess
    expect(result).toEqual({ terminated: [], failures: [`${connector}: the cloud is down`] });
  });
});
