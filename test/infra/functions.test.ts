import { describe, expect, it } from 'vitest';
import { ENV } from '#functions/commons/env';
import { HTTP_FUNCTIONS } from '#functions/http/route-table';
import { SCHEDULES } from '#functions/schedules/schedule-table';
import { NEEDS } from '#functions/commons/function-needs';
import { EVENT_FUNCTIONS } from '#functions/events/event-functions';
import type { FunctionName } from '#infra/slipway-stack';
import { TASK_TIMEOUT_SECONDS } from '#infra/state-machines/retry-policies';
import { TASK_FUNCTIONS } from '#infra/state-machines/task-functions';
import { actionsOf, placeholderTemplate } from './placeholder-stack';

const { template, resources, functionProps, environmentOf, statementsOf } = placeholderTemplate();

const HTTP = Object.keys(HTTP_FUNCTIONS) as FunctionName[];
const TASKS = Object.keys(TASK_FUNCTIONS) as FunctionName[];
const ALL = [...HTTP, ...TASKS, ...(Object.keys(SCHEDULES) as FunctionName[]), ...(Object.keys(EVENT_FUNCTIONS) as FunctionName[])];
/** The events publisher reads the table's stream, never its items. */
const WITH_TABLE = ALL.filter((name) => name !== 'publishEvents');
const tableId = Object.keys(resources).find((id) => resources[id]?.Type === 'AWS::DynamoDB::Table');

describe('the functions', () => {
  it('are one per HTTP function group, task function, schedule and events function, and nothing else but CDK’s console deployment handler', () => {
    template.resourceCountIs('AWS::Lambda::Function', ALL.length + 1);
  });

  it.each(ALL)('%s runs on Node.js 22, arm64, 512 MB, with active tracing', (name) => {
    expect(functionProps(name)).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      TracingConfig: { Mode: 'Active' },
    });
    expect(environmentOf(name)).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'slipway', POWERTOOLS_LOG_LEVEL: 'INFO' });
  });

  it('gives HTTP functions 30 s and steps longer than the state machine task timeout', () => {
    for (const name of HTTP) expect(functionProps(name).Timeout, name).toBe(30);
    for (const name of TASKS) expect(functionProps(name).Timeout, name).toBeGreaterThan(TASK_TIMEOUT_SECONDS);
  });

  it.each(WITH_TABLE)('%s names the table it is granted', (name) => {
    expect(environmentOf(name)[ENV.table]).toEqual({ Ref: tableId });
    expect(statementsOf(name).some((statement) => actionsOf(statement).includes('dynamodb:GetItem'))).toBe(true);
  });

  it.each(WITH_TABLE)('%s may write the table unless it only serves health and the OpenAPI document, and never scan it', (name) => {
    const actions = statementsOf(name).flatMap(actionsOf);
    expect(actions.includes('dynamodb:PutItem')).toBe(name !== 'meta');
    expect(actions.filter((action) => action === 'dynamodb:Scan' || action === 'dynamodb:*')).toEqual([]);
  });

  it.each(ALL)('%s has the secrets key, and may use it, only if NEEDS.usesSecrets lists it', (name) => {
    const usesSecrets = (NEEDS.usesSecrets as readonly string[]).includes(name);
    const kmsActions = statementsOf(name)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('kms:'));
    expect(ENV.secretsKey in environmentOf(name)).toBe(usesSecrets);
    expect(kmsActions.sort()).toEqual(usesSecrets ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : []);
  });

  it.each(ALL)('%s knows the API URL only if it renders VM boot data', (name) => {
    expect(ENV.apiUrl in environmentOf(name)).toBe(name === 'runs' || name === 'CreateInstance' || name === 'LaunchBuilder');
  });

  it.each(ALL)('%s may start and stop runs only if NEEDS.startsExecutions lists it', (name) => {
    const startsExecutions = (NEEDS.startsExecutions as readonly string[]).includes(name);
    const stateActions = statementsOf(name)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('states:'));
    expect(ENV.deployStateMachineArn in environmentOf(name)).toBe(startsExecutions);
    expect(ENV.terminateStateMachineArn in environmentOf(name)).toBe(startsExecutions);
    // Functions that start image builds hold the same actions, on the build machine only (asserted in build-state-machine.test.ts).
    // The build sweep only looks at build executions.
    const controls = startsExecutions || (NEEDS.startsBuilds as readonly string[]).includes(name);
    const watches = [...NEEDS.watchesBuilds, ...NEEDS.watchesScales].includes(name as never);
    const expected = controls ? ['states:StartExecution', 'states:StopExecution', 'states:DescribeExecution'] : watches ? ['states:DescribeExecution'] : [];
    expect(new Set(stateActions)).toEqual(new Set(expected));
  });

  it.each(ALL)('%s may start orders only if NEEDS.startsOrders lists it', (name) => {
    const startsOrders = (NEEDS.startsOrders as readonly string[]).includes(name);
    const orderMachine = Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && r.Properties.StateMachineName === 'slipway-order',
    )?.[0];
    const starts = statementsOf(name)
      .filter((statement) => actionsOf(statement).includes('states:StartExecution'))
      .flatMap((statement) => [statement.Resource].flat());
    expect(ENV.orderStateMachineArn in environmentOf(name)).toBe(startsOrders);
    expect(starts.some((resource) => JSON.stringify(resource) === JSON.stringify({ Ref: orderMachine }))).toBe(startsOrders);
  });

  it('gives the events publisher no table access and no table name: only its stream', () => {
    expect(ENV.table in environmentOf('publishEvents')).toBe(false);
    expect(
      statementsOf('publishEvents')
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('dynamodb:'))
        .sort(),
    ).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
  });
});
