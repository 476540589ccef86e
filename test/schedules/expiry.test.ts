import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '#functions/commons/deps';
import { expireRuns } from '#functions/schedules/expiry';
import { eventsOf, launchRun, moveAlong } from '#test/runs/support/run-world';
import { recordingSfn, type RecordingSfn } from '#test/runs/support/recording-sfn';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

const DEPLOY_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-deploy-run';
const TERMINATE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-terminate-run';
const NOW = new Date('2032-01-01T12:00:00.000Z');

let stack: StepStack;
let sfn: RecordingSfn;
let deps: AppDeps;

beforeAll(async () => {
  stack = await startStepStack();
  stack.setNow(NOW);
});

beforeEach(async () => {
  // The expiry index is one partition for the whole table: each test reads its own.
  await stack.useNewTable();
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

const minutesFromNow = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
const started = () => sfn.sent.filter((s) => s.command === 'StartExecutionCommand').map((s) => s.input);

describe('expiry schedule', () => {
  it('terminates the runs whose expiresAt has passed, and only those', async () => {
    // Prepare
    const expired = await launchRun(stack, { expiresAt: minutesFromNow(-1) });
    await launchRun(stack, { expiresAt: minutesFromNow(60) });
    await launchRun(stack);
    // Act
    const report = await expireRuns(deps);
    // Assess
    expect(report).toEqual({ expired: [expired.runId] });
    expect(started()).toEqual([{ stateMachineArn: TERMINATE_ARN, name: expired.runId, input: JSON.stringify({ runId: expired.runId }) }]);
  });

  it('terminates a run at the very time it expires', async () => {
    // Prepare
    const due = await launchRun(stack, { expiresAt: NOW.toISOString() });
    // Act
    const report = await expireRuns(deps);
    // Assess
    expect(report.expired).toEqual([due.runId]);
  });

  it('records why the run was asked to end', async () => {
    // Prepare
    const expiresAt = minutesFromNow(-5);
    const { runId } = await launchRun(stack, { expiresAt });
    // Act
    await expireRuns(deps);
    // Assess
    expect((await eventsOf(stack, runId)).filter((e) => e.type === 'terminate')).toEqual([{ type: 'terminate', message: `expired at ${expiresAt}` }]);
  });

  it('stops the deploy execution of an expired run that is still deploying', async () => {
    // Prepare
    const { runId } = await launchRun(stack, { expiresAt: minutesFromNow(-1) });
    await moveAlong(stack, runId, 'Provisioning');
    sfn.setStatus(`arn:aws:states:us-east-1:000000000000:execution:slipway-deploy-run:${runId}`, 'RUNNING');
    // Act
    await expireRuns(deps);
    // Assess
    expect(sfn.sent.map((s) => s.command)).toEqual(['DescribeExecutionCommand', 'StopExecutionCommand', 'StartExecutionCommand']);
  });

  it.each([
    ['finalizing', ['Finalizing']],
    ['done', ['Finalizing', 'Done']],
    ['aborted', ['Finalizing', 'Aborted']],
  ] as const)('leaves alone an expired run that is %s already', async (_, states) => {
    // Prepare
    const { runId } = await launchRun(stack, { expiresAt: minutesFromNow(-1) });
    await moveAlong(stack, runId, ...states);
    // Act
    const report = await expireRuns(deps);
    // Assess
    expect(report.expired).toEqual([]);
    expect(sfn.sent).toEqual([]);
  });
});
