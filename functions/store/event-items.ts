/**
 * Reading run events back from the table's stream: which stream records are event
 * items (the filter the Lambda event source and the local poller both apply), and
 * the decoding of their new images into `RecordedEvent`s with an id derived from
 * the item's key, so that a record delivered twice is recognised as the same event.
 */
import { idFrom } from '#functions/commons/ids';
import type { RecordedEvent } from '#functions/domain/events';
import { keys, ORDER_EVENT_SK_PREFIX, RUN_EVENT_SK_PREFIX } from './keys';
import { TABLE } from './table';

/**
 * A Lambda event filter pattern (DynamoDB stream): new items whose sort key is a
 * run event's. Everything else written to the table (runs, instances, the sim's VMs…)
 * never reaches the publisher.
 */
export const EVENT_ITEM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { Keys: { [TABLE.sortKey]: { S: [{ prefix: RUN_EVENT_SK_PREFIX }] } } },
} as const;

/** A DynamoDB attribute value as a stream record carries it (the kinds event items use). */
export interface StreamAttribute {
  S?: string;
  N?: string;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, StreamAttribute>;
  L?: StreamAttribute[];
  SS?: string[];
  NS?: string[];
}

/** What this module reads of a stream record (Lambda's `DynamoDBRecord`, structurally). */
export interface StreamRecordLike {
  eventName?: string;
  dynamodb?: { Keys?: Record<string, StreamAttribute>; NewImage?: Record<string, StreamAttribute> };
}

function plain(value: StreamAttribute): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL) return null;
  if (value.M) return Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, plain(v)]));
  if (value.L) return value.L.map(plain);
  if (value.SS) return [...value.SS];
  if (value.NS) return value.NS.map(Number);
  return undefined;
}

/** Every run's partition starts so, and every order's. */
const RUN_PARTITION_PREFIX = keys.runEventPrefix('').pk;
const ORDER_PARTITION_PREFIX = keys.order('').pk;

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The run or order event a stream record inserted, or undefined when it is anything else. */
export function recordedEventOf(record: StreamRecordLike): RecordedEvent | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = Object.fromEntries(Object.entries(image).map(([k, v]) => [k, plain(v)]));
  const pk = text(item[TABLE.partitionKey]);
  const sk = text(item[TABLE.sortKey]);
  const at = text(item.at);
  const kind = text(item.type);
  const runEvent = !!pk?.startsWith(RUN_PARTITION_PREFIX) && !!sk?.startsWith(RUN_EVENT_SK_PREFIX) && !!text(item.run);
  const orderEvent = !!pk?.startsWith(ORDER_PARTITION_PREFIX) && !!sk?.startsWith(ORDER_EVENT_SK_PREFIX) && !!text(item.order);
  if ((!runEvent && !orderEvent) || !at || !kind) return undefined;
  const optional = ['run', 'order', 'product', 'owner', 'state', 'previousState', 'instance', 'instanceState', 'cloudId', 'connector'] as const;
  return {
    id: idFrom('evt', `${pk}\n${sk}`),
    at,
    kind,
    message: text(item.message) ?? '',
    ...Object.fromEntries(optional.flatMap((field) => (text(item[field]) === undefined ? [] : [[field, text(item[field])]]))),
  };
}

/** The run events among `records`, in their order. */
export function recordedEvents(records: readonly StreamRecordLike[]): RecordedEvent[] {
  return records.flatMap((record) => recordedEventOf(record) ?? []);
}
