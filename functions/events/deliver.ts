/**
 * Lambda behind the bus's delivery rule: each Slipway event (the EventBridge event's
 * `detail`) goes to the webhooks that want it. A detail that is not a Slipway event
 * is logged and dropped (retrying it would not help); a table or KMS failure fails
 * the invocation, and EventBridge retries it (no delivery is made twice).
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsFor } from '#functions/commons/deps';
import { logger, observed } from '#functions/commons/observability';
import { SlipwayEventSchema } from '#functions/schemas/webhooks';
import { deliverEvent } from './webhook-delivery';

const deps = depsFor('deliverWebhooks');

export const handler = observed(async (event: EventBridgeEvent<string, unknown>): Promise<{ deliveries: number }> => {
  const parsed = SlipwayEventSchema.safeParse(event.detail);
  if (!parsed.success) {
    logger.error('not a Slipway event: dropped', { detailType: event['detail-type'], source: event.source });
    return { deliveries: 0 };
  }
  const deliveries = await deliverEvent(deps(), parsed.data);
  logger.info('event delivered to webhooks', { event: parsed.data.id, type: parsed.data.type, deliveries });
  return { deliveries };
});
