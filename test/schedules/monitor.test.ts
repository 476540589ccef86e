import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { monitorInstances } from '#functions/schedules/monitor';
import { createInstance } from '#functions/steps/create-instance';
import { terminateInstance } from '#functions/steps/terminate-instance';
import { eventsOf, instancesOf, plannedRun, tagOf, type RunOptions } from '#test/runs/support/run-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));
vi.mock('#connectors/implementations', async (original) => (await import('#test/support/scripted-connector')).withScriptedImplementation(await original()));

let stack: StepStack;

beforeAll(async () => {
  stack = await startStepStack();
});

beforeEach(async () => {
  // The monitor reads every live instance of the table: each test watches its own.
  await stack.useNewTable();
});

afterAll(async () => {
  await stack?.stop();
});

/** A planned run whose VMs are all created (and so watched by the monitor). */
async function createdRun(options: RunOptions = {}) {
  const world = await plannedRun(stack, options);
  for (const ref of world.plan.instances) await createInstance(ref, stack.deps);
  world.cloud.calls.length = 0;
  return world;
}

describe('monitor schedule', () => {
  it('records a VM whose state changed in the cloud, with its new address', async () => {
    // Prepare
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db' }] });
    cloud.setState(tagOf(runId, 'db'), 'running', { rawState: 'ACTIVE', ip: '192.0.2.10' });
    // Act
    const report = await monitorInstances(stack.deps);
    // Assess
    expect(report).toEqual({ accounts: 1, updated: 1, drifted: [], orphans: [], orphansTerminated: [], failed: [] });
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ state: 'running', rawState: 'ACTIVE', ip: '192.0.2.10' });
    expect((await instancesOf(stack, runId))['db.1']).not.toHaveProperty('drift');
  });

  it('writes nothing for VMs whose state did not change', async () => {
    // Prepare
    await createdRun();
    // Act
    const report = await monitorInstances(stack.deps);
    // Assess
    expect(report).toEqual({ accounts: 1, updated: 0, drifted: [], orphans: [], orphansTerminated: [], failed: [] });
  });

  it("flags drift, with an event on the run, when a VM stopped behind Slipway's back", async () => {
    // Prepare
    const { runId, cloud } = await createdRun();
    cloud.setState(tagOf(runId, 'web', 1), 'stopped', { rawState: 'SHUTOFF' });
    // Act
    const report = await monitorInstances(stack.deps);
    // Assess
    expect(report.drifted).toEqual(['web.1']);
    expect((await instancesOf(stack, runId))['web.1']).toMatchObject({ state: 'stopped', rawState: 'SHUTOFF', drift: 'VM is SHUTOFF in the cloud' });
    expect((await eventsOf(stack, runId)).filter((e) => e.type === 'drift')).toEqual([{ type: 'drift', message: 'web.1: VM is SHUTOFF in the cloud' }]);
  });

  it('flags drift when a VM is gone from the cloud', async () => {
    // Prepare
    const { runId, cloud } = await createdRun();
    cloud.forget(tagOf(runId, 'db'));
    // Act
    const report = await monitorInstances(stack.deps);
    // Assess
    expect(report.drifted).toEqual(['db.1']);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ state: 'terminated', drift: 'VM is gone in the cloud' });
  });

  it('reports as orphans the live VMs tagged for a run that holds no such instance', async () => {
    // Prepare
    const { runId, cloud } = await createdRun();
    const orphan = cloud.hold({ cloudId: 'vm-orphan', tag: tagOf(runId, 'web', 3), state: 'running' });
    cloud.hold({ cloudId: 'vm-orphan-gone', tag: tagOf(runId, 'web', 4), state: 'terminated' });
    cloud.hold({ cloudId: 'vm-not-slipways', state: 'running' });
    // Act
    const report = await monitorInstances(stack.deps);
    // Assess
    expect(report.orphans).toEqual([orphan.cloudId]);
    expect(report.drifted).toEqual([]);
  });

  it('lists each account once, whatever the number of runs it holds', async () => {
    // Prepare
    const first = await createdRun();
    await createdRun({ sameAccountAs: first });
    const other = await createdRun();
    first.cloud.calls.length = 0;
    // Act
    const report = await monitorInstances(stack.deps);
    // Assess
    expect(report.accounts).toBe(2);
    expect(first.cloud.calls).toEqual([{ op: 'listInstances', filter: undefined }]);
    expect(other.cloud.calls).toEqual([{ op: 'listInstances', filter: undefined }]);
  });

  it('checks every run of an account against the one listing', async () => {
    // Prepare
    const first = await createdRun({ nodes: [{ name: 'db' }] });
    const second = await createdRun({ nodes: [{ name: 'db' }], sameAccountAs: first });
    first.cloud.setState(tagOf(first.runId, 'db'), 'running');
    first.cloud.setState(tagOf(second.runId, 'db'), 'running');
    // Act
    const report = await monitorInstances(stack.deps);
    // Assess
    expect(report).toEqual({ accounts: 1, updated: 2, drifted: [], orphans: [], orphansTerminated: [], failed: [] });
  });

  it('no longer watches an instance once it is terminated, nor one only planned', async () => {
    // Prepare
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db' }] });
    await terminateInstance({ runId, node: 'db', index: 1 }, stack.deps);
    const planned = await plannedRun(stack);
    cloud.calls.length = 0;
    // Act
    const report = await monitorInstances(stack.deps);
    // Assess
    expect(report).toEqual({ accounts: 0, updated: 0, drifted: [], orphans: [], orphansTerminated: [], failed: [] });
    expect(cloud.calls).toEqual([]);
    expect(planned.cloud.calls).toEqual([]);
  });
});
