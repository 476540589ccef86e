import { ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '#functions/commons/deps';
import { executionArn, requestTermination, startRunExecution } from '#functions/runs/run-executions';
import { eventsOf, launchRun, moveAlong, rejectionOf, runOf } from '#test/runs/support/run-world';
import { recordingSfn, type RecordingSfn } from '#test/runs/support/recording-sfn';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

const DEPLOY_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-deploy-run';
const TERMINATE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-terminate-run';

let stack: StepStack;
let sfn: RecordingSfn;
let deps: AppDeps;

beforeAll(async () => {
  stack = await startStepStack();
});

beforeEach(() => {
  sfn = recordingSfn();
  deps = {
    ...stack.deps,
    sfn: sfn.client,
    config: { ...stack.deps.config, deployStateMachineArn: () => DEPLOY_ARN, terminateStateMachineArn: () => TERMINATE_ARN },
  };
});

afterAll(async () => {
  await stack?.stop();
});

describe('executionArn', () => {
  it("names an execution of a state machine after the state machine's ARN", () => {
    // Act
    const arn = executionArn(DEPLOY_ARN, 'run_1');
    // Assess
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:execution:slipway-deploy-run:run_1');
  });
});

describe('startRunExecution', () => {
  it('starts an execution named after the run, with the run id as its only input', async () => {
    // Act
    await startRunExecution(deps, DEPLOY_ARN, 'run_2');
    // Assess
    expect(sfn.sent).toEqual([{ command: 'StartExecutionCommand', input: { stateMachineArn: DEPLOY_ARN, name: 'run_2', input: '{"runId":"run_2"}' } }]);
  });

  it('accepts an execution already started for the run', async () => {
    // Prepare
    sfn.alreadyStarted('run_3');
    // Act
    const started = startRunExecution(deps, DEPLOY_ARN, 'run_3');
    // Assess
    await expect(started).resolves.toBeUndefined();
  });

  it('passes on any other failure of Step Functions', async () => {
    // Prepare
    sfn.failWith(new Error('connect ECONNREFUSED'));
    // Act
    const error = await rejectionOf(startRunExecution(deps, DEPLOY_ARN, 'run_4'));
    // Assess
    expect(error.message).toBe('connect ECONNREFUSED');
  });
});

describe('requestTermination', () => {
  it('records why, and starts the terminate execution of a run whose deploy execution has ended', async () => {
    // Prepare
    const { runId } = await launchRun(stack);
    await moveAlong(stack, runId, 'Provisioning', 'Executing', 'Ready');
    sfn.setStatus(executionArn(DEPLOY_ARN, runId), 'SUCCEEDED');
    // Act
    const asked = await requestTermination(deps, await runOf(stack, runId), 'termination requested');
    // Assess
    expect(asked).toBe(true);
    expect(sfn.sent.map((s) => s.command)).toEqual(['DescribeExecutionCommand', 'StartExecutionCommand']);
    expect(sfn.sent[1]!.input).toMatchObject({ stateMachineArn: TERMINATE_ARN, name: runId });
    expect((await eventsOf(stack, runId)).at(-1)).toEqual({ type: 'terminate', message: 'termination requested' });
  });

  it('stops the deploy execution first while it is still running', async () => {
    // Prepare
    const { runId } = await launchRun(stack);
    sfn.setStatus(executionArn(DEPLOY_ARN, runId), 'RUNNING');
    // Act
    await requestTermination(deps, await runOf(stack, runId), 'termination requested');
    // Assess
    expect(sfn.sent.map((s) => s.command)).toEqual(['DescribeExecutionCommand', 'StopExecutionCommand', 'StartExecutionCommand']);
    expect(sfn.sent[1]!.input).toEqual({
      executionArn: executionArn(DEPLOY_ARN, runId),
      error: 'TerminateRequested',
      cause: 'The run was asked to terminate.',
    });
  });

  it('starts the terminate execution of a run that has no deploy execution', async () => {
    // Prepare
    const { runId } = await launchRun(stack);
    // Act
    await requestTermination(deps, await runOf(stack, runId), 'termination requested');
    // Assess
    expect(sfn.sent.map((s) => s.command)).toEqual(['DescribeExecutionCommand', 'StartExecutionCommand']);
  });

  it.each([
    ['Finalizing', ['Finalizing']],
    ['Done', ['Finalizing', 'Done']],
    ['Aborted', ['Finalizing', 'Aborted']],
  ] as const)('does nothing, and says so, for a run that is %s', async (_, states) => {
    // Prepare
    const { runId } = await launchRun(stack);
    await moveAlong(stack, runId, ...states);
    // Act
    const asked = await requestTermination(deps, await runOf(stack, runId), 'termination requested');
    // Assess
    expect(asked).toBe(false);
    expect(sfn.sent).toEqual([]);
    expect((await eventsOf(stack, runId)).filter((e) => e.type === 'terminate')).toEqual([]);
  });

  it('passes on a failure to read the deploy execution', async () => {
    // Prepare
    const { runId } = await launchRun(stack);
    sfn.failWith(new ExecutionAlreadyExists({ message: 'odd', $metadata: {} }));
    // Act
    const error = await rejectionOf(requestTermination(deps, await runOf(stack, runId), 'termination requested'));
    // Assess
    expect(error.message).toBe('odd');
  });
});
