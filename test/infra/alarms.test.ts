import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { STATE_MACHINES } from '#infra/state-machines/state-names';
import { placeholderTemplate } from './placeholder-stack';

const { template, ofType } = placeholderTemplate();
const [topicId] = ofType('AWS::SNS::Topic').map(([id]) => id);
const [queueId] = ofType('AWS::SQS::Queue').map(([id]) => id);
const machineId = (name: string) => ofType('AWS::StepFunctions::StateMachine').find(([, machine]) => machine.Properties.StateMachineName === name)?.[0];
const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
const executionAlarms = (name: string) =>
  alarms.filter((alarm) => JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: 'StateMachineArn', Value: { Ref: machineId(name) } }]));

/** Raised by the first one in a period: more than zero, summed over it. */
const ON_ANY = { Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' };

describe('the alarms', () => {
  it.each(Object.values(STATE_MACHINES))('go off on any failed or timed-out execution of %s', (name) => {
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      expect(executionAlarms(name), metric).toContainEqual(
        expect.objectContaining({ Namespace: 'AWS/States', MetricName: metric, Statistic: 'Sum', Period: 300, ...ON_ANY }),
      );
    }
  });

  it('go off on any aborted execution of the terminate machine, which nothing stops', () => {
    expect(executionAlarms(STATE_MACHINES.terminate)).toContainEqual(expect.objectContaining({ MetricName: 'ExecutionsAborted', ...ON_ANY }));
  });

  it('ignore aborted executions of the deploy machine, which terminating a deploying run stops', () => {
    expect(executionAlarms(STATE_MACHINES.deploy).map((alarm) => alarm.MetricName)).not.toContain('ExecutionsAborted');
  });

  it('ignore aborted executions of the scale machine, which terminating a scaling run stops', () => {
    expect(executionAlarms(STATE_MACHINES.scale).map((alarm) => alarm.MetricName)).not.toContain('ExecutionsAborted');
  });

  it('go off as soon as the schedules’ dead-letter queue holds a message', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      ...ON_ANY,
    });
  });

  it('go off on any aborted execution of the order machine, which nothing stops either', () => {
    expect(executionAlarms(STATE_MACHINES.order)).toContainEqual(expect.objectContaining({ MetricName: 'ExecutionsAborted', ...ON_ANY }));
  });

  it('all notify the one alarm topic', () => {
    // deploy 2 + terminate 3 + scale 2 + migrate 3 + order 3 + build 3 (failed, timed out, aborted where nothing stops it) + the dead-letter queue 1
    expect(alarms).toHaveLength(17);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
  });
});

describe('the alarm topic', () => {
  const [keyId] = ofType('AWS::KMS::Key')
    .filter(([, key]) => String(key.Properties.Description).includes('alarm'))
    .map(([id]) => id);

  it('is encrypted with a rotated customer managed key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('alarm'), EnableKeyRotation: true });
  });

  it('refuses publications over plain HTTP', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('takes publications from this account’s CloudWatch alarms', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { ArnLike: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('lets CloudWatch encrypt with its key, and nothing more', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('alarm'),
      KeyPolicy: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' },
        ]),
      },
    });
  });
});
