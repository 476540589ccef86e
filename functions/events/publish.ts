/**
 * Lambda for the table's stream (filtered to new run event items): puts them on
 * Slipway's bus. It reads no table item and knows only the bus; its environment
 * is checked at cold start.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ENV, requireEnv } from '#functions/commons/env';
import { logger, observed } from '#functions/commons/observability';
import { publishRecords, type PutEvents } from './publish-events';

const busName = requireEnv(ENV.eventBus);
let client: EventBridgeClient | undefined;
const put: PutEvents = (entries) => (client ??= new EventBridgeClient({})).send(new PutEventsCommand({ Entries: entries }));

export const handler = observed(async (event: DynamoDBStreamEvent): Promise<void> => {
  const published = await publishRecords(put, busName, event.Records ?? []);
  logger.info('events published', { records: event.Records?.length ?? 0, published });
});
