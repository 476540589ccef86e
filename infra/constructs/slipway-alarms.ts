/**
 * What should wake an operator: run executions that ended badly and schedule
 * events that could not be delivered. Every alarm notifies one SNS topic,
 * encrypted with a key of its own that CloudWatch may use to publish.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RunStateMachine } from './run-state-machine';

export interface SlipwayAlarmsProps {
  /** The window each alarm sums its metric over; one window in alarm raises it. @default Duration.minutes(5) */
  readonly period?: Duration;
}

export interface WatchExecutionsOptions {
  /**
   * Stopping this machine's executions is normal operation (the deploy machine is
   * stopped when a run is terminated mid-deploy), so an aborted execution raises no alarm.
   * @default false
   */
  readonly stoppedByDesign?: boolean;
}

export class SlipwayAlarms extends Construct {
  /** Subscribe operators (email, chat, paging) here. */
  readonly topic: Topic;
  private readonly period: Duration;

  constructor(scope: Construct, id: string, props: SlipwayAlarmsProps = {}) {
    super(scope, id);
    this.period = props.period ?? Duration.minutes(5);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    // A customer managed key: CloudWatch cannot publish to a topic under the AWS managed aws/sns key.
    const key = new Key(this, 'TopicKey', {
      description: 'Slipway: encrypts the alarm notifications topic.',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(new PolicyStatement({ principals: [cloudWatch], actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['*'] }));
    this.topic = new Topic(this, 'Topic', { displayName: 'Slipway alarms', masterKey: key, enforceSSL: true });
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` } },
      }),
    );
  }

  /** Alarms on the machine's failed, timed-out and (unless stopped by design) aborted executions. */
  watchExecutions(machine: RunStateMachine, options: WatchExecutionsOptions = {}): Alarm[] {
    const sm = machine.stateMachine;
    const endings: [string, IMetric][] = [
      ['Failed', sm.metricFailed({ period: this.period, statistic: 'Sum' })],
      ['TimedOut', sm.metricTimedOut({ period: this.period, statistic: 'Sum' })],
    ];
    if (!options.stoppedByDesign) endings.push(['Aborted', sm.metricAborted({ period: this.period, statistic: 'Sum' })]);
    return endings.map(([ending, metric]) =>
      this.alarm(`${machine.node.id}${ending}`, metric, `An execution of ${machine.name} ended ${ending}: see its history in the Step Functions console.`),
    );
  }

  /** Alarms as soon as the queue holds a message. */
  watchDeadLetters(queue: IQueue, what: string): Alarm {
    const metric = queue.metricApproximateNumberOfMessagesVisible({ period: this.period, statistic: 'Maximum' });
    return this.alarm(`${queue.node.id}NotEmpty`, metric, `${what} could not be delivered and wait in the dead-letter queue.`);
  }

  /** Any non-zero value of `metric` in one period raises the alarm; no data is no trouble. */
  private alarm(id: string, metric: IMetric, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
