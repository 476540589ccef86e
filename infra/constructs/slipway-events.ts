/**
 * Events out: the table's stream (new run event items only, by an event filter)
 * feeds the publisher, which puts Slipway's events on the `slipway-events` bus; a
 * rule on the bus sends each to the delivery function, which POSTs it to webhooks.
 * A stream batch that keeps failing, and a bus event that cannot be handed to the
 * delivery function, go to the dead-letter queue.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '#functions/commons/env';
import { DELIVERY_RULE_PATTERN, EVENT_BUS_NAME, STREAM_BATCH_SIZE } from '#functions/events/event-functions';
import { EVENT_ITEM_FILTER } from '#functions/store/event-items';
import type { SlipwayFunction } from './slipway-function';
import type { SlipwayTable } from './slipway-table';

export interface SlipwayEventsProps {
  readonly table: SlipwayTable;
  /** Reads the stream, puts events on the bus. */
  readonly publisher: SlipwayFunction;
  /** The bus rule's target: POSTs to webhooks. */
  readonly deliverer: SlipwayFunction;
  /** Where stream batches and bus events that could not be handled end up. */
  readonly deadLetterQueue: IQueue;
}

export class SlipwayEvents extends Construct {
  readonly bus: EventBus;
  readonly deliveryRule: Rule;

  constructor(scope: Construct, id: string, props: SlipwayEventsProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: EVENT_BUS_NAME, description: 'Slipway: run, instance, drift, orphan and quota events.' });
    // events:PutEvents on this bus only.
    this.bus.grantPutEventsTo(props.publisher);
    props.publisher.addEnvironment(ENV.eventBus, this.bus.eventBusName);

    props.publisher.addEventSource(
      new DynamoEventSource(props.table.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: STREAM_BATCH_SIZE,
        maxBatchingWindow: Duration.seconds(1),
        // A failing batch is split to find the bad record; each half is retried a bounded number of times, then set aside.
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(props.deadLetterQueue),
        // The same pattern the local poller applies: only new run event items reach the publisher.
        filters: [FilterCriteria.filter({ ...EVENT_ITEM_FILTER })],
      }),
    );

    Validations.of(props.publisher.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Besides X-Ray, dynamodb:ListStreams, which the stream event source needs, supports no resource-level permission; ' +
        'the stream itself is read only through its own ARN.',
    });

    this.deliveryRule = new Rule(this, 'Deliver', {
      eventBus: this.bus,
      description: "Slipway's events → webhooks.",
      eventPattern: { source: [...DELIVERY_RULE_PATTERN.source] },
      targets: [new LambdaFunction(props.deliverer, { deadLetterQueue: props.deadLetterQueue, retryAttempts: 4, maxEventAge: Duration.hours(1) })],
    });
  }
}
