/**
 * The EventBridge schedules of `SCHEDULES`: each fires its function at its rate (or cron expression);
 * an event EventBridge cannot deliver goes to one dead-letter queue.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SCHEDULES, type ScheduleName } from '#functions/schedules/schedule-table';

export interface SlipwaySchedulesProps {
  /** The function each schedule invokes. */
  readonly functions: Readonly<Record<ScheduleName, IFunction>>;
  /** Delivery retries before an event goes to the dead-letter queue. @default 2 */
  readonly retryAttempts?: number;
  /**
   * How long EventBridge keeps retrying one tick; the next tick supersedes it anyway.
   * @default Duration.minutes(1)
   */
  readonly maxEventAge?: Duration;
}

export class SlipwaySchedules extends Construct {
  readonly deadLetterQueue: Queue;
  readonly rules: Readonly<Record<ScheduleName, Rule>>;

  constructor(scope: Construct, id: string, props: SlipwaySchedulesProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      // SQS-managed keys: EventBridge can deliver to them without a key policy of ours.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedule targets; nothing consumes it that could fail.',
    });
    const target = (fn: IFunction) =>
      new LambdaFunction(fn, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.retryAttempts ?? 2,
        maxEventAge: props.maxEventAge ?? Duration.minutes(1),
      });
    const names = Object.keys(SCHEDULES) as ScheduleName[];
    this.rules = Object.fromEntries(
      names.map((name) => {
        const spec = SCHEDULES[name];
        const when =
          'cron' in spec
            ? { description: `Slipway ${name}: ${spec.cron} (UTC).`, schedule: Schedule.expression(spec.cron) }
            : { description: `Slipway ${name}: every ${spec.rateMinutes} minute(s).`, schedule: Schedule.rate(Duration.minutes(spec.rateMinutes)) };
        return [name, new Rule(this, name, { ...when, targets: [target(props.functions[name])] })];
      }),
    ) as Record<ScheduleName, Rule>;
  }
}
