import type { CfnKey } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { TABLE } from '#functions/store/table';
import { STATE_MACHINES } from '#infra/state-machines/state-names';
import { actionsOf, placeholderTemplate, resourcesOf, type PolicyStatementJson } from './placeholder-stack';

const { stack, ofType } = placeholderTemplate();

/** Services whose data and control planes Slipway's roles reach: each action must be named in full. */
const GUARDED_SERVICES = ['dynamodb', 'kms', 'states'];

const statements = ofType('AWS::IAM::Policy').flatMap(([id, policy]) =>
  (policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement.map((statement) => ({ id, statement })),
);
const grantsOn = (service: string) => statements.filter(({ statement }) => actionsOf(statement).some((action) => action.startsWith(`${service}:`)));

/** `*`, or a guarded service's action with a wildcard (`dynamodb:*`, `kms:GenerateDataKey*`). */
function isWildcard(action: string): boolean {
  const [service, name = ''] = action.split(':');
  return action === '*' || (GUARDED_SERVICES.includes(service ?? '') && name.includes('*'));
}

const [tableId] = ofType('AWS::DynamoDB::Table').map(([id]) => id);
/** What Lambda's stream event source needs of the table's stream. */
const STREAM_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
const machines = ofType('AWS::StepFunctions::StateMachine').map(([id, machine]) => ({
  id,
  name: machine.Properties.StateMachineName as string,
}));
const executionsOf = (name: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:execution:${name}:*`]],
});

describe('the IAM policies', () => {
  it('allow no "*" action and no wildcard action of DynamoDB, KMS or Step Functions', () => {
    const wildcards = statements.flatMap(({ id, statement }) =>
      actionsOf(statement)
        .filter(isWildcard)
        .map((action) => `${id}: ${action}`),
    );

    expect(wildcards).toEqual([]);
  });

  it('never grant through NotAction or NotResource, which reach everything not listed', () => {
    const negated = statements.filter(({ statement }) => statement.NotAction !== undefined || statement.NotResource !== undefined);

    expect(negated.map(({ id }) => id)).toEqual([]);
  });

  it('reach DynamoDB items only on the table and its indexes, by name', () => {
    const allowed = [tableArn, ...Object.values(TABLE.indexes).map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index.name}`]] }))];

    const reached = grantsOn('dynamodb')
      .filter(({ statement }) => !actionsOf(statement).some((action) => STREAM_ACTIONS.includes(action)))
      .flatMap(({ statement }) => resourcesOf(statement));

    expect(reached.length).toBeGreaterThan(0);
    for (const resource of reached) expect(allowed).toContainEqual(resource);
  });

  it("read the table's stream only on that stream (ListStreams has no resource of its own), in statements of nothing else", () => {
    const streamArn = { 'Fn::GetAtt': [tableId, 'StreamArn'] };

    const streamGrants = grantsOn('dynamodb').filter(({ statement }) => actionsOf(statement).some((action) => STREAM_ACTIONS.includes(action)));

    expect(streamGrants.length).toBeGreaterThan(0);
    for (const { statement } of streamGrants) {
      expect(STREAM_ACTIONS).toEqual(expect.arrayContaining(actionsOf(statement)));
      const list = actionsOf(statement).includes('dynamodb:ListStreams');
      expect(resourcesOf(statement)).toEqual(list ? ['*'] : [streamArn]);
      if (list) expect(actionsOf(statement)).toEqual(['dynamodb:ListStreams']);
    }
  });

  it('put events only on the Slipway bus', () => {
    const [busId] = ofType('AWS::Events::EventBus').map(([id]) => id);

    const reached = statements.filter(({ statement }) => actionsOf(statement).some((action) => action.startsWith('events:')));

    expect(reached.length).toBeGreaterThan(0);
    for (const { statement } of reached) {
      expect(actionsOf(statement)).toEqual(['events:PutEvents']);
      expect(resourcesOf(statement)).toEqual([{ 'Fn::GetAtt': [busId, 'Arn'] }]);
    }
  });

  it('reach KMS only on the credential secrets key', () => {
    const secretsKeyArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.secretsKey.node.defaultChild as CfnKey), 'Arn'] };

    const reached = grantsOn('kms').flatMap(({ statement }) => resourcesOf(statement));

    expect(reached.length).toBeGreaterThan(0);
    for (const resource of reached) expect(resource).toEqual(secretsKeyArn);
  });

  it('reach Step Functions only on the run and order state machines and their executions', () => {
    expect(machines.map(({ name }) => name).sort()).toEqual(Object.values(STATE_MACHINES).sort());
    const allowed = machines.flatMap(({ id, name }) => [{ Ref: id }, executionsOf(name)]);

    const reached = grantsOn('states').flatMap(({ statement }) => resourcesOf(statement));

    expect(reached.length).toBeGreaterThan(0);
    for (const resource of reached) expect(allowed).toContainEqual(resource);
  });
});
