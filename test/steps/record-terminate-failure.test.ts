import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordTerminateFailure } from '#functions/steps/record-terminate-failure';
import { instancesOf, plannedRun } from '#test/runs/support/run-world';
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

describe('RecordTerminateFailure', () => {
  it('marks the instance in error with the readable reason its terminate failed', async () => {
    // Prepare
    const { runId } = await plannedRun(stack);
    const error = { Error: 'TransientCloudError', Cause: JSON.stringify({ errorMessage: 'cloud busy' }) };
    // Act
    await recordTerminateFailure({ runId, node: 'web', index: 2, error }, stack.deps);
    // Assess
    const instances = await instancesOf(stack, runId);
    expect(instances['web.2']).toMatchObject({ state: 'error', error: 'could not terminate: The cloud kept failing: cloud busy' });
    expect(instances['web.1']).toMatchObject({ state: 'pending' });
    expect(instances['web.1']).not.toHaveProperty('error');
  });
});
