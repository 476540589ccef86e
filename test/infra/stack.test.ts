import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SCHEDULES } from '#functions/schedules/schedule-table';
import { TABLE } from '#functions/store/table';
import { taskFunctionsUsedBy } from '#infra/constructs/definition-substitutions';
import type { FunctionName } from '#infra/slipway-stack';
import { deployRunDefinition } from '#infra/state-machines/deploy-run';
import { STATE_MACHINES } from '#infra/state-machines/state-names';
import { substitutionVariable } from '#infra/state-machines/task-functions';
import { scaleRunDefinition } from '#infra/state-machines/scale-run';
import { migrateRunDefinition } from '#infra/state-machines/migrate-run';
import { terminateRunDefinition } from '#infra/state-machines/terminate-run';
import { actionsOf, placeholderTemplate, type PolicyStatementJson } from './placeholder-stack';

const { template, ofType, logicalIdOf } = placeholderTemplate();
const arnOf = (name: FunctionName) => ({ 'Fn::GetAtt': [logicalIdOf(name), 'Arn'] });

/** Schedules fired at a rate (every minute), and those fired by a cron expression (the month close). */
const SCHEDULED = (Object.keys(SCHEDULES) as (keyof typeof SCHEDULES)[]).filter((name) => !('cron' in SCHEDULES[name])) as FunctionName[];
const CRON = Object.entries(SCHEDULES).flatMap(([name, spec]) => ('cron' in spec ? [{ name: name as FunctionName, cron: spec.cron }] : []));
const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  { AttributeName: sortKey, KeyType: 'RANGE' },
];

describe('the table', () => {
  it('has the keys, indexes and TTL attribute of TABLE', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: keySchema(TABLE.partitionKey, TABLE.sortKey),
      GlobalSecondaryIndexes: Object.values(TABLE.indexes).map((index) => ({
        IndexName: index.name,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    });
  });

  it('is billed per request and encrypted', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('can be restored to any point in time', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('refuses deletion, and survives its removal from the stack or a replacement', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });
});

describe('the state machines', () => {
  const machines = [
    { name: STATE_MACHINES.deploy, definition: deployRunDefinition() },
    { name: STATE_MACHINES.terminate, definition: terminateRunDefinition() },
    { name: STATE_MACHINES.scale, definition: scaleRunDefinition() },
    { name: STATE_MACHINES.migrate, definition: migrateRunDefinition() },
  ];
  const machine = (name: string) =>
    ofType('AWS::StepFunctions::StateMachine').find(([, resource]) => resource.Properties.StateMachineName === name)?.[1].Properties ?? {};

  it.each(machines)('$name substitutes each placeholder with its task function ARN', ({ name, definition }) => {
    const used = taskFunctionsUsedBy(definition);
    expect(machine(name).DefinitionSubstitutions).toEqual(Object.fromEntries(used.map((task) => [substitutionVariable(task), arnOf(task)])));
  });

  it.each(machines)('$name is a STANDARD machine that logs ALL and traces', ({ name }) => {
    expect(machine(name)).toMatchObject({
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL' },
      TracingConfiguration: { Enabled: true },
    });
  });

  it.each(machines)('$name may invoke exactly the functions its definition uses', ({ name, definition }) => {
    const role = (machine(name).RoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    const invokes = ofType('AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]))
      .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement)
      .filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    expect(invokes.flatMap((statement) => statement.Resource)).toEqual(taskFunctionsUsedBy(definition).map(arnOf));
  });
});

describe('the schedules', () => {
  it.each(SCHEDULED)('%s fires at its rate, with retries and a dead-letter queue', (name) => {
    const minutes = (SCHEDULES[name as keyof typeof SCHEDULES] as { rateMinutes: number }).rateMinutes;
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: minutes === 1 ? 'rate(1 minute)' : `rate(${minutes} minutes)`,
      Targets: [
        Match.objectLike({
          Arn: arnOf(name),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
  });

  it.each(CRON)('$name fires on its cron expression ($cron), with retries and a dead-letter queue', ({ name, cron }) => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: cron,
      Targets: [
        Match.objectLike({
          Arn: arnOf(name),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
  });

  it('closes the previous month at 00:15 UTC on the 1st, with up to 15 minutes to do it', () => {
    expect(CRON).toEqual([{ name: 'monthClose', cron: 'cron(15 0 1 * ? *)' }]);
    const [, fn] = ofType('AWS::Lambda::Function').find(([id]) => id === logicalIdOf('monthClose'))!;
    expect(fn.Properties.Timeout).toBe(900);
  });

  it('keeps undelivered events in an encrypted queue that refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('the outputs', () => {
  it.each([
    'ApiUrl',
    'CognitoApiUrl',
    'UserPoolId',
    'UserPoolClientId',
    'TableName',
    'DeployStateMachineArn',
    'TerminateStateMachineArn',
    'ScaleStateMachineArn',
    'MigrateStateMachineArn',
    'AlarmTopicArn',
  ])('include %s', (output) => {
    template.hasOutput(output, { Value: Match.anyValue() });
  });
});
