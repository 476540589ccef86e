/**
 * Slipway's events as subscribers see them: the pure mapping from what the table
 * records (a run's event items, read from the table's stream) to the events put on
 * the bus and posted to webhooks; how a webhook body is signed; and when a failed
 * delivery is tried again.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The `source` of every event Slipway puts on its bus (what the delivery rule matches). */
export const EVENT_SOURCE = 'slipway';

/** Every event type: the bus's `detail-type`, the webhook's `Slipway-Event-Type`, what a webhook subscribes to. */
export const EVENT_TYPES = [
  'slipway.run.state',
  'slipway.instance.state',
  'slipway.drift',
  'slipway.orphan',
  'slipway.quota.refused',
  'slipway.order.state',
  'slipway.order.warning',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A webhook's `events` entry that stands for every type. */
export const ALL_EVENT_TYPES = '*';

/** The event kinds (their stored `type`) that are published, and as what. Others (`terminate`, `sweep`, an order's `order-step`) stay on their run or order. */
const PUBLISHED: Readonly<Record<string, EventType>> = {
  state: 'slipway.run.state',
  instance: 'slipway.instance.state',
  drift: 'slipway.drift',
  orphan: 'slipway.orphan',
  'quota-refused': 'slipway.quota.refused',
  'order-state': 'slipway.order.state',
  'order-warning': 'slipway.order.warning',
};

/** A run's or an order's event item as the store decodes it from the table's stream. */
export interface RecordedEvent {
  /** Derived from the item's key: a record seen twice (a retried batch, a replay) has the same id. */
  id: string;
  /** The run it is about (an order's event names its current run, if any). */
  run?: string;
  /** The order it is about (order events). */
  order?: string;
  /** The ordered product (order events). */
  product?: string;
  /** The run's owner (for an orphan whose run is gone: the owner of the credential that sees it). */
  owner?: string;
  at: string;
  /** The stored kind: `state`, `instance`, `drift`, `orphan`, `quota-refused`, or one that is not published. */
  kind: string;
  message: string;
  state?: string;
  previousState?: string;
  instance?: string;
  instanceState?: string;
  cloudId?: string;
  connector?: string;
}

/** An event as the bus carries it (`detail`) and a webhook receives it (the POST body). */
export interface SlipwayEvent {
  id: string;
  type: EventType;
  /** When Slipway recorded it (ISO 8601). */
  at: string;
  owner: string;
  /** The run (every run event; an order event when the order has one). */
  run?: string;
  /** `slipway.order.*`: the order and its product (the owner is the customer). */
  order?: string;
  product?: string;
  message: string;
  /** `slipway.run.state`: the run's new state (and `previousState`, the one it left); `slipway.order.state`: the order's. */
  state?: string;
  /** The state left: the run's (`slipway.run.state`) or the VM's (`slipway.instance.state`). */
  previousState?: string;
  /** `node.index` of the instance (instance, drift and orphan events). */
  instance?: string;
  /** The VM's state as recorded (instance and drift events) or as the cloud shows it (orphan). */
  instanceState?: string;
  cloudId?: string;
  connector?: string;
}

const OPTIONAL_FIELDS = ['run', 'order', 'product', 'state', 'previousState', 'instance', 'instanceState', 'cloudId', 'connector'] as const;

/** The event a recorded run event is published as; undefined for kinds that are not published, or an item with no owner to send it to. */
export function toSlipwayEvent(recorded: RecordedEvent): SlipwayEvent | undefined {
  const type = Object.hasOwn(PUBLISHED, recorded.kind) ? PUBLISHED[recorded.kind] : undefined;
  if (!type || !recorded.owner) return undefined;
  const event: SlipwayEvent = { id: recorded.id, type, at: recorded.at, owner: recorded.owner, message: recorded.message };
  for (const field of OPTIONAL_FIELDS) if (recorded[field] !== undefined) event[field] = recorded[field];
  return event;
}

/** A PutEvents entry (the SDK's `PutEventsRequestEntry`, structurally). */
export interface BusEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  Time: Date;
  EventBusName: string;
  Resources: string[];
}

/** At most this many entries per PutEvents call (EventBridge's limit). */
export const PUT_EVENTS_BATCH = 10;

/** The bus entries of `events`, in order, split into PutEvents batches. */
export function busBatches(events: SlipwayEvent[], busName: string): BusEntry[][] {
  const entries = events.map((event) => ({
    Source: EVENT_SOURCE,
    DetailType: event.type,
    Detail: JSON.stringify(event),
    Time: new Date(event.at),
    EventBusName: busName,
    Resources: [],
  }));
  const batches: BusEntry[][] = [];
  for (let i = 0; i < entries.length; i += PUT_EVENTS_BATCH) batches.push(entries.slice(i, i + PUT_EVENTS_BATCH));
  return batches;
}

/** True when a webhook subscribed to `events` wants an event of `type`. */
export function subscribes(events: readonly string[], type: EventType): boolean {
  return events.includes(ALL_EVENT_TYPES) || events.includes(type);
}

/**
 * The `Slipway-Signature` of a delivery: `sha256=` and the hex HMAC-SHA256, keyed
 * with the webhook's secret (the string as given at creation, UTF-8), of
 * `<Slipway-Timestamp>.<body>`. The timestamp inside the signed text lets a
 * receiver refuse an old delivery replayed at it.
 */
export function signature(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute the signature and compare in constant time, and
 * refuse a timestamp more than `toleranceSeconds` away from `now`.
 */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  const { timestamp, signature: given } = headers;
  if (!timestamp || !given || !/^\d+$/.test(timestamp)) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** How deliveries are tried: attempts, backoff, the timeout of one POST, and how long records are kept. */
export const DELIVERY = {
  /** Attempts in all, the first included. */
  maxAttempts: 6,
  /** The wait after the first failure; each later wait is `factor` times longer (±`jitter`). */
  baseDelayMs: 30_000,
  factor: 3,
  jitter: 0.2,
  /** One POST, connection to answer. */
  timeoutMs: 5_000,
  /** A claimed attempt that never reported (its process died) is due again after this. */
  leaseMs: 60_000,
  /** Delivery records are deleted this long after they were made. */
  retentionDays: 30,
} as const;

/**
 * How long to wait after attempt number `failed` (1-based) failed: `base × factor^(failed−1)`,
 * spread by ±jitter so receivers that failed together are not retried together;
 * undefined when that was the last attempt. With the defaults the waits are about
 * 30 s, 1.5 min, 4.5 min, 13.5 min and 40.5 min: six attempts over about an hour.
 * @param random a number in [0, 1)
 */
export function retryDelayMs(failed: number, baseDelayMs: number = DELIVERY.baseDelayMs, random: () => number = Math.random): number | undefined {
  if (failed >= DELIVERY.maxAttempts) return undefined;
  const nominal = baseDelayMs * DELIVERY.factor ** (Math.max(1, failed) - 1);
  return Math.round(nominal * (1 - DELIVERY.jitter + 2 * DELIVERY.jitter * random()));
}
