import { nextWaitSeconds } from '#functions/domain/boot-polling';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NotReadyYetError, PermanentCloudError } from '#connectors/errors';
import type { InstanceState } from '#functions/domain/run-states';
import { checkInstances } from '#functions/steps/check-instances';
import { createInstance } from '#functions/steps/create-instance';
import { updateInstance } from '#functions/store/runs';
import { instancesOf, launchRun, plannedRun, rejectionOf, tagOf, type RunOptions } from '#test/runs/support/run-world';
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

/** A planned run (db → web×2 by default) whose VMs are all created. */
async function createdRun(options: RunOptions = {}) {
  const world = await plannedRun(stack, options);
  for (const ref of world.plan.instances) await createInstance(ref, stack.deps);
  return world;
}

describe('CheckInstances', () => {
  it('is not ready while a VM is still booting, and counts each poll', async () => {
    // Prepare
    const world = await createdRun();
    const { runId, cloud } = world;
    cloud.setState(tagOf(runId, 'db'), 'running', { published: { hostname: 'db.example' } });
    // Act
    const first = await checkInstances({ runId }, stack.deps);
    const second = await checkInstances({ runId }, stack.deps);
    // Assess
    expect(first).toEqual({ ready: false, polls: 1, waitSeconds: 1 });
    expect(second).toEqual({ ready: false, polls: 2, waitSeconds: nextWaitSeconds(1, 2) });
  });

  it('lists the VMs with one call per connector and credential, narrowed to the run', async () => {
    // Prepare
    const { runId, cloud } = await createdRun();
    // Act
    await checkInstances({ runId }, stack.deps);
    // Assess
    expect(cloud.callsOf('listInstances')).toEqual([{ op: 'listInstances', filter: { run: runId } }]);
  });

  it("lists each connector's VMs with the user's credential there, and is ready only when both are", async () => {
    // Prepare
    const { runId, cloud, second } = await createdRun({ second: {}, nodes: [{ name: 'db', onSecond: true }, { name: 'web' }] });
    cloud.setState(tagOf(runId, 'web'), 'running');
    // Act
    const halfway = await checkInstances({ runId }, stack.deps);
    second!.cloud.setState(tagOf(runId, 'db'), 'running');
    const done = await checkInstances({ runId }, stack.deps);
    // Assess
    expect([halfway.ready, done.ready]).toEqual([false, true]);
    expect(cloud.callsOf('listInstances')).toHaveLength(2);
    expect(second!.cloud.callsOf('listInstances')).toHaveLength(2);
    expect(second!.cloud.sessions.at(-1)!.credentialId).toBe(second!.credentialId);
  });

  it("records each VM's state, raw state and address", async () => {
    // Prepare
    const { runId, cloud } = await createdRun();
    cloud.setState(tagOf(runId, 'web', 2), 'running', { rawState: 'ACTIVE', ip: '192.0.2.7' });
    // Act
    await checkInstances({ runId }, stack.deps);
    // Assess
    expect((await instancesOf(stack, runId))['web.2']).toMatchObject({ state: 'running', rawState: 'ACTIVE', ip: '192.0.2.7', ready: true });
  });

  it('is ready once every VM runs and reported, and hands outputs to the inputs of dependent nodes', async () => {
    // Prepare
    const { runId, cloud } = await createdRun();
    cloud.setState(tagOf(runId, 'db'), 'running', { published: { hostname: 'db.example' } });
    cloud.setState(tagOf(runId, 'web', 1), 'running');
    cloud.setState(tagOf(runId, 'web', 2), 'running');
    // Act
    const result = await checkInstances({ runId }, stack.deps);
    // Assess
    const instances = await instancesOf(stack, runId);
    expect(result.ready).toBe(true);
    expect(instances['db.1']).toMatchObject({ ready: true, parameters: { hostname: 'db.example' } });
    expect(instances['web.1']!.parameters.db_host).toBe('db.example');
    expect(instances['web.2']!.parameters.db_host).toBe('db.example');
  });

  it('waits for a VM that must report (its image has outputs) even when it runs', async () => {
    // Prepare
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db', outputs: ['hostname'] }] });
    cloud.setState(tagOf(runId, 'db'), 'running');
    // Act
    const result = await checkInstances({ runId }, stack.deps);
    // Assess
    expect(result.ready).toBe(false);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ state: 'running', ready: false });
  });

  it('counts a VM that set its ready parameter as reported', async () => {
    // Prepare
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db', outputs: ['hostname'] }] });
    cloud.setState(tagOf(runId, 'db'), 'running');
    await updateInstance(stack.deps.table, tagOf(runId, 'db'), { parameters: { ready: 'true' } });
    // Act
    const result = await checkInstances({ runId }, stack.deps);
    // Assess
    expect(result.ready).toBe(true);
  });

  it('fails for good, with the guest’s words, when a recipe reported it failed', async () => {
    // Prepare
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db', outputs: ['hostname'] }] });
    cloud.setState(tagOf(runId, 'db'), 'running');
    await updateInstance(stack.deps.table, tagOf(runId, 'db'), { parameters: { failed: 'the recipe exited with status 100' } });
    // Act
    const error = await rejectionOf(checkInstances({ runId }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(PermanentCloudError);
    expect(error.message).toBe('the recipe of db.1 failed: the recipe exited with status 100');
  });

  it('is not ready while an input of a running VM has no value yet', async () => {
    // Prepare
    const { runId, cloud } = await createdRun({
      nodes: [
        { name: 'db', outputs: ['port'] },
        { name: 'web', multiplicity: 2, inputs: { db_port: 'db:port' } },
      ],
    });
    cloud.setState(tagOf(runId, 'db'), 'running', { published: {} });
    cloud.setState(tagOf(runId, 'web', 1), 'running');
    cloud.setState(tagOf(runId, 'web', 2), 'running');
    // Act
    const result = await checkInstances({ runId }, stack.deps);
    // Assess
    const instances = await instancesOf(stack, runId);
    expect(result.ready).toBe(false);
    expect(Object.values(instances).map((i) => i.ready)).toEqual([true, true, true]);
    expect(instances['web.1']!.parameters).not.toHaveProperty('db_port');
  });

  it('is not ready for a run that has no instances', async () => {
    // Prepare
    const { runId, cloud } = await launchRun(stack);
    // Act
    const result = await checkInstances({ runId }, stack.deps);
    // Assess
    expect(result).toEqual({ ready: false, polls: 1, waitSeconds: 1 });
    expect(cloud.calls).toEqual([]);
  });

  it('fails with a retryable error while a VM is not listed by the cloud yet', async () => {
    // Prepare
    const { runId, cloud } = await createdRun();
    cloud.forget(tagOf(runId, 'web', 1));
    // Act
    const error = await rejectionOf(checkInstances({ runId }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(NotReadyYetError);
    expect(error.message).toBe('VM web.1 is not listed by the cloud yet');
  });

  it.each<InstanceState>(['stopped', 'stopping', 'error', 'terminated'])('fails for good, naming the VM, when a VM is %s during boot', async (state) => {
    // Prepare
    const { runId, cloud } = await createdRun();
    cloud.setState(tagOf(runId, 'web', 2), state, { rawState: `Raw-${state}` });
    // Act
    const error = await rejectionOf(checkInstances({ runId }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(PermanentCloudError);
    expect(error.message).toBe(`VM web.2 is Raw-${state} in the cloud`);
  });
});
