import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS, SCHEDULES } from '#functions/http/route-table';
import { TABLE } from '#functions/store/table';
import { taskFunctionsUsedBy } from '#infra/constructs/definition-substitutions';
import type { FunctionName } from '#infra/slipway-stack';
import { deployRunDefinition } from '#infra/state-machines/deploy-run';
import { STATE_MACHINES } from '#infra/state-machines/state-names';
import { substitutionVariable } from '#infra/state-machines/task-functions';
import { terminateRunDefinition } from '#infra/state-machines/terminate-run';
import { placeholderTemplate, type PolicyStatementJson } from './placeholder-stack';

const { template, resources, logicalIdOf } = placeholderTemplate();
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const arnOf = (name: FunctionName) => ({ 'Fn::GetAtt': [logicalIdOf(name), 'Arn'] });
const actionsOf = (statement: PolicyStatementJson) => [statement.Action].flat();

const SCHEDULED = Object.keys(SCHEDULES) as FunctionName[];
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

  it('is billed per request, encrypted, recoverable to a point in time and retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    });
  });
});

describe('the HTTP API', () => {
  const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties);

  it('has exactly one route per route key of HTTP_FUNCTIONS', () => {
    const expected = Object.values(HTTP_FUNCTIONS).flatMap((spec) => spec.routes);
    expect(routes.map((route) => route.RouteKey).sort()).toEqual([...expected].sort());
  });

  it('sends each route to the function that serves it', () => {
    for (const [name, spec] of Object.entries(HTTP_FUNCTIONS) as [FunctionName, { routes: readonly string[] }][]) {
      for (const routeKey of spec.routes) {
        const route = routes.find((candidate) => candidate.RouteKey === routeKey);
        const integrationId = JSON.stringify(route?.Target).match(/"Ref":"(\w+)"/)?.[1] ?? '';
        expect(resources[integrationId]?.Properties.IntegrationUri, routeKey).toEqual(arnOf(name));
      }
    }
  });

  it('leaves authorization to the functions, which check the Bearer API key', () => {
    expect(routes.every((route) => route.AuthorizationType === 'NONE')).toBe(true);
  });

  it('logs every request and throttles on its $default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('context.requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });
});

describe('the state machines', () => {
  const machines = [
    { name: STATE_MACHINES.deploy, definition: deployRunDefinition() },
    { name: STATE_MACHINES.terminate, definition: terminateRunDefinition() },
  ];
  const machine = (name: string) =>
    ofType('AWS::StepFunctions::StateMachine').find(([, resource]) => resource.Properties.StateMachineName === name)?.[1]
      .Properties ?? {};

  it.each(machines)('$name substitutes each placeholder with its task function ARN', ({ name, definition }) => {
    const used = taskFunctionsUsedBy(definition);
    expect(machine(name).DefinitionSubstitutions).toEqual(
      Object.fromEntries(used.map((task) => [substitutionVariable(task), arnOf(task)])),
    );
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
  it.each(SCHEDULED)('%s fires every minute, with retries and a dead-letter queue', (name) => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({
          Arn: arnOf(name),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
  });

  it('keeps undelivered events in an encrypted queue that refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('the outputs', () => {
  it.each(['ApiUrl', 'TableName', 'DeployStateMachineArn', 'TerminateStateMachineArn'])('include %s', (output) => {
    template.hasOutput(output, { Value: Match.anyValue() });
  });
});
