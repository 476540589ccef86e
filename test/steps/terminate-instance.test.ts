import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TransientCloudError } from '#connectors/errors';
import { createInstance } from '#functions/steps/create-instance';
import { terminateInstance } from '#functions/steps/terminate-instance';
import { updateInstance } from '#functions/store/runs';
import { instancesOf, plannedRun, rejectionOf, tagOf } from '#test/runs/support/run-world';
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

describe('TerminateInstance', () => {
  it("terminates the instance's VM by its cloud id and records when", async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    const cloudId = cloud.vmFor(tagOf(runId, 'db'))!.cloudId;
    stack.setNow(new Date('2031-05-06T07:08:09.000Z'));
    // Act
    await terminateInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    stack.setNow(undefined);
    expect(cloud.callsOf('terminateInstance')).toEqual([{ op: 'terminateInstance', cloudId }]);
    expect(cloud.callsOf('listInstances')).toEqual([]);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ phase: 'terminated', state: 'terminated', terminatedAt: '2031-05-06T07:08:09.000Z' });
  });

  it('finds by its tag the VM of a create whose response was lost, and terminates it', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    cloud.loseNextCreateResponse();
    await rejectionOf(createInstance({ runId, node: 'web', index: 2 }, stack.deps));
    // Act
    await terminateInstance({ runId, node: 'web', index: 2 }, stack.deps);
    // Assess
    expect(cloud.callsOf('listInstances')).toEqual([{ op: 'listInstances', filter: { run: runId } }]);
    expect(cloud.liveVms()).toEqual([]);
  });

  it("never terminates another instance's VM while looking one up by tag", async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    await createInstance({ runId, node: 'web', index: 1 }, stack.deps);
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    await updateInstance(stack.deps.table, tagOf(runId, 'web', 2), { phase: 'creating' });
    // Act
    await terminateInstance({ runId, node: 'web', index: 2 }, stack.deps);
    // Assess
    expect(cloud.callsOf('terminateInstance')).toEqual([]);
    expect(cloud.liveVms()).toHaveLength(2);
    expect((await instancesOf(stack, runId))['web.2']).toMatchObject({ phase: 'terminated', state: 'terminated' });
  });

  it('does not call the cloud for an instance that was only planned', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    // Act
    await terminateInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    expect(cloud.calls).toEqual([]);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ phase: 'terminated', state: 'terminated' });
  });

  it('does not call the cloud again for an instance already terminated', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    await terminateInstance({ runId, node: 'db', index: 1 }, stack.deps);
    const before = cloud.calls.length;
    // Act
    await terminateInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    expect(cloud.calls).toHaveLength(before);
  });

  it('does nothing for an instance the run does not have', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    // Act
    await terminateInstance({ runId, node: 'cache', index: 1 }, stack.deps);
    // Assess
    expect(cloud.calls).toEqual([]);
    expect(Object.keys(await instancesOf(stack, runId))).toEqual(['db.1', 'web.1', 'web.2']);
  });

  it('leaves the instance terminating, not terminated, when the cloud fails the terminate', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    cloud.failNext('terminateInstance', new TransientCloudError('cloud busy'));
    // Act
    const error = await rejectionOf(terminateInstance({ runId, node: 'db', index: 1 }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(TransientCloudError);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ phase: 'terminating', state: 'pending' });
  });
});
