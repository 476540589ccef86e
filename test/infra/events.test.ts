import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '#functions/commons/env';
import { EVENT_SOURCE } from '#functions/domain/events';
import { EVENT_BUS_NAME } from '#functions/events/event-functions';
import { EVENT_ITEM_FILTER } from '#functions/store/event-items';
import { TABLE } from '#functions/store/table';
import { placeholderTemplate } from './placeholder-stack';

const { template, ofType, logicalIdOf, environmentOf } = placeholderTemplate();
const [busId] = ofType('AWS::Events::EventBus').map(([id]) => id);
const [tableId] = ofType('AWS::DynamoDB::Table').map(([id]) => id);
const [queueId] = ofType('AWS::SQS::Queue').map(([id]) => id);

describe('events out', () => {
  it("has Slipway's own bus", () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: EVENT_BUS_NAME });
  });

  it('gives the table a stream of new images', () => {
    expect(TABLE.streamViewType).toBe('NEW_IMAGE');
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
  });

  it('feeds the publisher only new run event items, in bounded, bisected, retried batches that end in the dead-letter queue', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf('publishEvents') },
      EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(EVENT_ITEM_FILTER) }] },
    });
  });

  it('tells the publisher which bus to put events on', () => {
    expect(environmentOf('publishEvents')[ENV.eventBus]).toEqual({ Ref: busId });
  });

  it('sends every Slipway event on the bus to the delivery function, with retries and the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: { source: [EVENT_SOURCE] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf('deliverWebhooks'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalIdOf('deliverWebhooks'), 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('lets no loopback webhook through in AWS: no function is told to allow it', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      expect(ENV.webhooksAllowLoopback in variables).toBe(false);
    }
  });
});
