/**
 * The order state machine: its definition's shape (valid ASL, named states, the retry
 * bound and backoff, the bounded look loop) and how the stack deploys it, with the
 * order reminders schedule.
 */
import aslValidator from 'asl-validator';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '#functions/commons/env';
import { DOMAIN_ERROR } from '#functions/domain/errors';
import { ORDER_MAX_ATTEMPTS } from '#functions/domain/orders';
import { SCHEDULES } from '#functions/schedules/schedule-table';
import { taskFunctionsUsedBy } from '#infra/constructs/definition-substitutions';
import { ORDER_TIMEOUT_SECONDS, orderDefinition } from '#infra/state-machines/order';
import { ORDER, STATE_MACHINES } from '#infra/state-machines/state-names';
import { substitutionVariable, taskResource } from '#infra/state-machines/task-functions';
import { actionsOf, placeholderTemplate } from './placeholder-stack';

interface State {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; MaxDelaySeconds?: number; JitterStrategy?: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Choices?: {
    Variable?: string;
    StringEquals?: string;
    And?: { Variable: string; StringEquals?: string; NumericGreaterThanEquals?: number }[];
    Next: string;
  }[];
  Default?: string;
  SecondsPath?: string;
  Parameters?: Record<string, unknown>;
  Next?: string;
  Error?: string;
  CausePath?: string;
}

const definition = orderDefinition();
const states = definition.States as Record<string, State>;

const withArns = (json: object) => {
  let text = JSON.stringify(json);
  for (const name of taskFunctionsUsedBy(json)) {
    text = text.replaceAll(`\${${substitutionVariable(name)}}`, `arn:aws:lambda:eu-central-1:123456789012:function:slipway-${name}`);
  }
  return JSON.parse(text) as object;
};

describe('the order definition', () => {
  it('is valid Amazon States Language once the function ARNs are substituted', () => {
    const result = aslValidator(withArns(definition));

    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('names its states only with the ORDER constants, and uses each of them', () => {
    expect(Object.keys(states).sort()).toEqual(Object.values(ORDER).sort());
  });

  it('calls LaunchOrderRun, CheckOrderRun and FailOrder, each with a timeout and capped, fully jittered retries', () => {
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');

    expect(taskFunctionsUsedBy(definition)).toEqual(['LaunchOrderRun', 'CheckOrderRun', 'FailOrder']);
    for (const [name, state] of tasks) {
      expect(state.TimeoutSeconds, name).toBeGreaterThan(0);
      for (const retrier of state.Retry ?? []) expect(retrier, name).toMatchObject({ MaxDelaySeconds: expect.any(Number), JitterStrategy: 'FULL' });
    }
  });

  it('launches, waits, looks, and settles: Active and closed orders succeed', () => {
    expect(definition.StartAt).toBe(ORDER.launchRun);
    expect(states[ORDER.launchRun]).toMatchObject({ Resource: taskResource('LaunchOrderRun'), ResultPath: '$.launch', Next: ORDER.isOrderSettled });
    expect(states[ORDER.waitForRun]).toMatchObject({ Type: 'Wait', SecondsPath: '$.launch.waitSeconds', Next: ORDER.checkRun });
    expect(states[ORDER.checkRun]).toMatchObject({ Resource: taskResource('CheckOrderRun'), ResultPath: '$.launch', Next: ORDER.isOrderSettled });
    expect(states[ORDER.isOrderSettled]?.Default).toBe(ORDER.waitForRun);
    expect(states[ORDER.orderActive]?.Type).toBe('Succeed');
    expect(states[ORDER.orderClosed]?.Type).toBe('Succeed');
  });

  it(`retries a failed attempt after a backoff wait, as a new launch, up to ${ORDER_MAX_ATTEMPTS} attempts, then fails the order`, () => {
    const choices = states[ORDER.isOrderSettled]!.Choices!;
    const bound = choices.findIndex((c) => c.Next === ORDER.failOrder);
    const retry = choices.findIndex((c) => c.Next === ORDER.waitBeforeRetry);

    expect(choices[bound]?.And).toEqual([
      { Variable: '$.launch.status', StringEquals: 'failed' },
      { Variable: '$.launch.attempt', NumericGreaterThanEquals: ORDER_MAX_ATTEMPTS },
    ]);
    expect(retry).toBeGreaterThan(bound);
    expect(choices[retry]).toMatchObject({ Variable: '$.launch.status', StringEquals: 'failed' });
    expect(states[ORDER.waitBeforeRetry]).toMatchObject({ Type: 'Wait', SecondsPath: '$.launch.retryWaitSeconds', Next: ORDER.launchRun });
    expect(states[ORDER.checkRun]?.Parameters).toMatchObject({ maxAttempts: ORDER_MAX_ATTEMPTS, 'retryBaseSeconds.$': '$.retryBaseSeconds' });
  });

  it('ends a failed order’s execution with OrderFailed and the reason, also when a task fails for good', () => {
    expect(states[ORDER.failOrder]).toMatchObject({ Resource: taskResource('FailOrder'), Next: ORDER.orderFailed });
    expect(states[ORDER.orderFailed]).toEqual({ Type: 'Fail', Error: DOMAIN_ERROR.orderFailed, CausePath: '$.failure.reason' });
    for (const name of [ORDER.launchRun, ORDER.checkRun])
      expect(states[name]?.Catch, name).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: ORDER.failOrder })]);
  });

  it('is bounded in time: every attempt may take the run’s deadline, no more', () => {
    expect(definition.TimeoutSeconds).toBe(ORDER_TIMEOUT_SECONDS);
    expect(ORDER_TIMEOUT_SECONDS).toBeLessThanOrEqual(24 * 3600);
  });
});

describe('the stack', () => {
  const { template, ofType, logicalIdOf, environmentOf, statementsOf } = placeholderTemplate();
  const [machineId, machine] = ofType('AWS::StepFunctions::StateMachine').find(([, r]) => r.Properties.StateMachineName === STATE_MACHINES.order) ?? [];

  it('deploys slipway-order as a STANDARD machine that logs ALL and traces, its tasks substituted with their functions', () => {
    expect(machine?.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL' },
      TracingConfiguration: { Enabled: true },
      DefinitionSubstitutions: Object.fromEntries(
        taskFunctionsUsedBy(definition).map((task) => [substitutionVariable(task), { 'Fn::GetAtt': [logicalIdOf(task), 'Arn'] }]),
      ),
    });
  });

  it('lets the orders function start its executions, and the order steps start and stop runs', () => {
    const startsOrders = statementsOf('orders').filter((s) => actionsOf(s).includes('states:StartExecution'));

    expect(environmentOf('orders')[ENV.orderStateMachineArn]).toEqual({ Ref: machineId });
    expect(startsOrders.flatMap((s) => [s.Resource].flat())).toContainEqual({ Ref: machineId });
    for (const step of ['LaunchOrderRun', 'CheckOrderRun'] as const) expect(ENV.deployStateMachineArn in environmentOf(step), step).toBe(true);
    expect(ENV.deployStateMachineArn in environmentOf('FailOrder')).toBe(false);
  });

  it('fires the order reminders every minute, with retries and the dead-letter queue', () => {
    expect(SCHEDULES.orderReminders).toMatchObject({ entry: 'functions/schedules/order-reminders.ts', rateMinutes: 1 });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalIdOf('orderReminders'), 'Arn'] }, DeadLetterConfig: { Arn: Match.anyValue() } })],
    });
  });

  it('outputs the order machine’s ARN', () => {
    template.hasOutput('OrderStateMachineArn', { Value: { Ref: machineId } });
  });
});
