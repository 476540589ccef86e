import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { beginFinalizing } from '#functions/steps/begin-finalizing';
import { listExpiredRunIds } from '#functions/store/runs';
import { launchRun, moveAlong, plannedRun, runOf } from '#test/runs/support/run-world';
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

const refused = { Error: 'PermanentCloudError', Cause: JSON.stringify({ errorType: 'PermanentCloudError', errorMessage: 'image img-native is gone' }) };

describe('BeginFinalizing', () => {
  it('moves the run to Finalizing and lists its instances by connector for teardown', async () => {
    // Prepare
    const { runId } = await plannedRun(stack, { maxIaasWorkers: 4 });
    await moveAlong(stack, runId, 'Executing', 'Ready');
    // Act
    const teardown = await beginFinalizing({ runId }, stack.deps);
    // Assess
    const run = await runOf(stack, runId);
    expect(run.state).toBe('Finalizing');
    expect(run.abortReason).toBeUndefined();
    expect(teardown).toEqual({
      maxIaasWorkers: 4,
      instances: [
        { runId, node: 'db', index: 1 },
        { runId, node: 'web', index: 1 },
        { runId, node: 'web', index: 2 },
      ],
    });
  });

  it('records the failure that brought the run here as its readable abortReason', async () => {
    // Prepare
    const { runId } = await plannedRun(stack);
    // Act
    await beginFinalizing({ runId, error: refused }, stack.deps);
    // Assess
    expect((await runOf(stack, runId)).abortReason).toBe('The cloud refused: image img-native is gone');
  });

  it('keeps the abortReason recorded first when it runs again with another failure', async () => {
    // Prepare
    const { runId } = await plannedRun(stack);
    await beginFinalizing({ runId, error: refused }, stack.deps);
    // Act
    await beginFinalizing({ runId, error: { Error: 'States.Timeout', Cause: '' } }, stack.deps);
    // Assess
    expect((await runOf(stack, runId)).abortReason).toBe('The cloud refused: image img-native is gone');
  });

  it('takes the run off the expiry index, so the expiry schedule no longer finds it', async () => {
    // Prepare
    const expiresAt = '2030-01-01T00:00:00.000Z';
    const { runId } = await launchRun(stack, { expiresAt });
    const due = new Date('2030-01-02T00:00:00.000Z');
    const before = await listExpiredRunIds(stack.deps.table, due);
    // Act
    await beginFinalizing({ runId }, stack.deps);
    // Assess
    expect(before).toContain(runId);
    expect(await listExpiredRunIds(stack.deps.table, due)).not.toContain(runId);
  });

  it('lists no instance for a run that planned none', async () => {
    // Prepare
    const { runId } = await launchRun(stack);
    // Act
    const teardown = await beginFinalizing({ runId, error: refused }, stack.deps);
    // Assess
    expect(teardown.instances).toEqual([]);
    expect((await runOf(stack, runId)).state).toBe('Finalizing');
  });
});
