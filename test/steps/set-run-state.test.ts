import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '#functions/domain/errors';
import { setRunState } from '#functions/steps/set-run-state';
import { eventsOf, launchRun, moveAlong, rejectionOf, runOf } from '#test/runs/support/run-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

let stack: StepStack;

beforeAll(async () => {
  stack = await startStepStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('SetRunState', () => {
  it('moves the run to the next state of its lifecycle and records the move as an event', async () => {
    // Prepare
    const { runId } = await launchRun(stack);
    const before = await eventsOf(stack, runId);
    // Act
    await setRunState({ runId, state: 'Provisioning' }, stack.deps);
    // Assess
    expect((await runOf(stack, runId)).state).toBe('Provisioning');
    expect(await eventsOf(stack, runId)).toEqual([...before, { type: 'state', state: 'Provisioning', message: 'Initializing → Provisioning' }]);
  });

  it('accepts a repeated move to the state the run is in already', async () => {
    // Prepare
    const { runId } = await launchRun(stack);
    await setRunState({ runId, state: 'Provisioning' }, stack.deps);
    const before = await eventsOf(stack, runId);
    // Act
    await setRunState({ runId, state: 'Provisioning' }, stack.deps);
    // Assess
    expect((await runOf(stack, runId)).state).toBe('Provisioning');
    expect(await eventsOf(stack, runId)).toEqual(before);
  });

  it('refuses a move the lifecycle does not allow, naming both states', async () => {
    // Prepare
    const { runId } = await launchRun(stack);
    await moveAlong(stack, runId, 'Finalizing');
    // Act
    const error = await rejectionOf(setRunState({ runId, state: 'Executing' }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(`run ${runId} is Finalizing and cannot become Executing`);
  });

  it('refuses to move a run that does not exist', async () => {
    // Act
    const error = await rejectionOf(setRunState({ runId: 'run_missing', state: 'Ready' }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe('run run_missing is gone and cannot become Ready');
  });
});
