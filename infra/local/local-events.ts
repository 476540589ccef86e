/**
 * Events out on one machine, on the same code path as in AWS: the table's stream,
 * read by a local poller with the event source's filter, invokes the same publisher
 * handler, which puts events on a local EventBridge (PutEvents) through its usual
 * client (`AWS_ENDPOINT_URL_EVENTBRIDGE`); the bus's rule invokes the same delivery
 * handler. Webhooks may point to this machine here (`SLIPWAY_WEBHOOKS_ALLOW_LOOPBACK=1`).
 */
import { resolve } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent, EventBridgeEvent } from 'aws-lambda';
import { ENV } from '#functions/commons/env';
import { DELIVERY_RULE_PATTERN, EVENT_BUS_NAME, EVENT_FUNCTIONS, STREAM_BATCH_SIZE } from '#functions/events/event-functions';
import { EVENT_ITEM_FILTER } from '#functions/store/event-items';
import { LOCAL_AWS } from './dynamodb';
import { startEventBridgeServer } from './eventbridge-server';
import { startStreamPoller } from './stream-poller';

export interface LocalEventsOptions {
  dynamo: { client: DynamoDBClient; endpoint: string };
  tableName: string;
  /** The wait after a delivery's first failed attempt (`SLIPWAY_WEBHOOK_RETRY_BASE_MS`). @default 30000 */
  webhookRetryBaseMs?: number;
  /** The poller's wait when the stream had nothing new. @default 200 */
  pollIntervalMs?: number;
}

export interface LocalEvents {
  eventBridgeEndpoint: string;
  stop(): Promise<void>;
}

type Handler<E> = (event: E, context: unknown) => Promise<unknown>;
const load = async <E>(entry: string): Promise<Handler<E>> => (await import(resolve(entry))).handler as Handler<E>;

/** Invocations of one stream batch before the poller sets it aside (the event source's retry attempts). */
const STREAM_TRIES = 10;

export async function startLocalEvents(options: LocalEventsOptions): Promise<LocalEvents> {
  Object.assign(process.env, {
    [ENV.eventBus]: EVENT_BUS_NAME,
    [ENV.webhooksAllowLoopback]: process.env[ENV.webhooksAllowLoopback] ?? '1',
    ...(options.webhookRetryBaseMs ? { [ENV.webhookRetryBaseMs]: String(options.webhookRetryBaseMs) } : {}),
  });
  const deliver = await load<EventBridgeEvent<string, unknown>>(EVENT_FUNCTIONS.deliverWebhooks.entry);
  const bus = await startEventBridgeServer({ busName: EVENT_BUS_NAME, rules: [{ pattern: DELIVERY_RULE_PATTERN, target: (event) => deliver(event, {}) }] });
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.endpoint;
  const publish = await load<DynamoDBStreamEvent>(EVENT_FUNCTIONS.publishEvents.entry);

  const streams = new DynamoDBStreamsClient({ endpoint: options.dynamo.endpoint, ...LOCAL_AWS });
  try {
    const { Table: table } = await options.dynamo.client.send(new DescribeTableCommand({ TableName: options.tableName }));
    if (!table?.LatestStreamArn) throw new Error(`table ${options.tableName} has no stream`);
    const poller = startStreamPoller({
      streams,
      streamArn: table.LatestStreamArn,
      filter: EVENT_ITEM_FILTER,
      handler: (event) => publish(event, {}),
      batchSize: STREAM_BATCH_SIZE,
      intervalMs: options.pollIntervalMs ?? 200,
      maxTries: STREAM_TRIES,
    });
    return {
      eventBridgeEndpoint: bus.endpoint,
      async stop() {
        await poller.stop();
        await bus.stop();
        streams.destroy();
      },
    };
  } catch (error) {
    streams.destroy();
    await bus.stop();
    throw error;
  }
}
