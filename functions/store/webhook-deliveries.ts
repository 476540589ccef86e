/**
 * Deliveries: one item per (webhook, event), in the webhook's partition, made with
 * its first attempt already claimed, so a repeated event never makes a second one.
 * An attempt is claimed before it is made (the attempt count and a lease as
 * `nextAttemptAt`) and its outcome recorded only by whoever claimed it, so two
 * workers never send the same attempt, and an attempt whose worker died is due again
 * once its lease passes. Pending deliveries sit in the expiry index's redelivery
 * partition under their next attempt's time, which the redeliver schedule queries.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { idFrom } from '#functions/commons/ids';
import type { EventType } from '#functions/domain/events';
import type { DeliveryView } from '#functions/schemas/webhooks';
import { dueItems, isConditionFailure, queryPage, type Page } from './items';
import { indexKeys, keys } from './keys';
import { TABLE } from './table';
import type { TableClient } from './table-client';

/** A delivery as stored: the view, who may read it, and the exact body every attempt sends. */
export interface DeliveryDoc extends DeliveryView {
  /** The webhook's owner. */
  owner: string;
  /** The JSON body, as first sent: every attempt signs and sends the same bytes. */
  payload: string;
}

/** What an attempt came to. */
export interface AttemptOutcome {
  at: Date;
  delivered: boolean;
  statusCode?: number;
  error?: string;
  durationMs: number;
  /** When to try again, for a failed attempt that is not the last. */
  retryAt?: Date;
}

const ref = (d: Pick<DeliveryDoc, 'webhook' | 'eventAt' | 'eventId'>) => `${d.webhook}#${d.eventAt}#${d.eventId}`;
const keyOf = (d: Pick<DeliveryDoc, 'webhook' | 'eventAt' | 'eventId'>) => keys.delivery(d.webhook, d.eventAt, d.eventId);
const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

const SHOWN = [
  'id',
  'webhook',
  'eventId',
  'eventType',
  'eventAt',
  'status',
  'attempts',
  'lastAttemptAt',
  'lastStatusCode',
  'lastError',
  'lastDurationMs',
  'nextAttemptAt',
  'deliveredAt',
  'createdAt',
] as const;

/** The view of a stored delivery: never its payload. */
export function toDeliveryView(item: Record<string, unknown>): DeliveryView {
  return Object.fromEntries(SHOWN.flatMap((field) => (item[field] === undefined ? [] : [[field, item[field]]]))) as unknown as DeliveryView;
}

const toDoc = (item: Record<string, unknown>): DeliveryDoc => ({ ...toDeliveryView(item), owner: String(item.owner), payload: String(item.payload) });

/**
 * Makes the delivery of an event to a webhook with its first attempt claimed until `leaseUntil`.
 * @returns the delivery, or undefined when the event was delivered to that webhook already (a repeated event)
 */
export async function openDelivery(
  table: TableClient,
  input: { webhook: string; owner: string; eventId: string; eventType: EventType; eventAt: string; payload: string },
  now: Date,
  leaseUntil: Date,
  retentionDays: number,
): Promise<DeliveryDoc | undefined> {
  const doc: DeliveryDoc = {
    id: idFrom('dlv', `${input.webhook}\n${input.eventId}`),
    ...input,
    status: 'pending',
    attempts: 1,
    lastAttemptAt: now.toISOString(),
    nextAttemptAt: leaseUntil.toISOString(),
    createdAt: now.toISOString(),
  };
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...keyOf(doc),
          ...indexKeys.redelivery(doc.nextAttemptAt!, ref(doc)),
          ...doc,
          [TABLE.ttlAttribute]: epochSeconds(now) + retentionDays * 24 * 60 * 60,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return doc;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * Claims the next attempt of a due delivery as it was read (same attempt count, same
 * due time), until `leaseUntil`.
 * @returns the delivery with the attempt counted, or undefined when someone else claimed it or it is no longer pending
 */
export async function claimAttempt(table: TableClient, due: DeliveryDoc, now: Date, leaseUntil: Date): Promise<DeliveryDoc | undefined> {
  const index = TABLE.indexes.byExpiry;
  try {
    const out = await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keyOf(due),
        UpdateExpression: 'SET attempts = attempts + :one, lastAttemptAt = :now, nextAttemptAt = :lease, #due = :dueKey',
        ConditionExpression: '#status = :pending AND attempts = :attempts AND nextAttemptAt = :was',
        ExpressionAttributeNames: { '#status': 'status', '#due': index.sortKey },
        ExpressionAttributeValues: {
          ':one': 1,
          ':now': now.toISOString(),
          ':lease': leaseUntil.toISOString(),
          ':dueKey': indexKeys.redelivery(leaseUntil.toISOString(), ref(due)).expSk,
          ':pending': 'pending',
          ':attempts': due.attempts,
          ':was': due.nextAttemptAt,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toDoc(out.Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * Records the outcome of the attempt `delivery.attempts` (only its claimer does):
 * delivered, due again at `retryAt`, or failed for good; the last two leave the index.
 */
export async function recordAttempt(table: TableClient, delivery: DeliveryDoc, outcome: AttemptOutcome): Promise<void> {
  const index = TABLE.indexes.byExpiry;
  const status = outcome.delivered ? 'delivered' : outcome.retryAt ? 'pending' : 'failed';
  const set: Record<string, unknown> = {
    status,
    lastDurationMs: Math.round(outcome.durationMs),
    ...(outcome.statusCode !== undefined ? { lastStatusCode: outcome.statusCode } : {}),
    ...(outcome.error !== undefined ? { lastError: outcome.error.slice(0, 500) } : {}),
    ...(outcome.delivered ? { deliveredAt: outcome.at.toISOString() } : {}),
    ...(status === 'pending' ? { nextAttemptAt: outcome.retryAt!.toISOString(), ...indexKeys.redelivery(outcome.retryAt!.toISOString(), ref(delivery)) } : {}),
  };
  const remove = [
    ...(outcome.statusCode === undefined ? ['lastStatusCode'] : []),
    ...(outcome.error === undefined ? ['lastError'] : []),
    ...(status === 'pending' ? [] : ['nextAttemptAt', index.partitionKey, index.sortKey]),
  ];
  const fields = Object.entries(set);
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keyOf(delivery),
        UpdateExpression:
          `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}` + (remove.length ? ` REMOVE ${remove.map((_, i) => `#r${i}`).join(', ')}` : ''),
        ConditionExpression: '#status = :pending AND attempts = :attempts',
        ExpressionAttributeNames: {
          ...Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])),
          ...Object.fromEntries(remove.map((k, i) => [`#r${i}`, k])),
          '#status': 'status',
        },
        ExpressionAttributeValues: { ...Object.fromEntries(fields.map(([, v], i) => [`:f${i}`, v])), ':pending': 'pending', ':attempts': delivery.attempts },
      }),
    );
  } catch (error) {
    // Another worker claimed a later attempt (this one's lease ran out): its outcome is the one that counts.
    if (!isConditionFailure(error)) throw error;
  }
}

/** Pending deliveries whose next attempt is due by `now`, earliest first, at most `limit`. */
export async function listDueDeliveries(table: TableClient, now: Date, limit: number): Promise<DeliveryDoc[]> {
  return (await dueItems(table, indexKeys.redelivery('', '').expPk, now, { limit })).map(toDoc);
}

/** A webhook's deliveries, newest event first. */
export async function listDeliveries(table: TableClient, webhookId: string, page: { limit: number; cursor?: string }): Promise<Page<DeliveryView>> {
  const prefix = keys.deliveryPrefix(webhookId);
  return queryPage(
    table,
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix },
      ScanIndexForward: false,
    },
    page,
    toDeliveryView,
  );
}

/** Marks a pending delivery failed for good without an attempt (its webhook is gone). */
export async function abandonDelivery(table: TableClient, delivery: DeliveryDoc, why: string): Promise<void> {
  const index = TABLE.indexes.byExpiry;
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keyOf(delivery),
        UpdateExpression: 'SET #status = :failed, lastError = :why REMOVE nextAttemptAt, #pk, #sk',
        ConditionExpression: '#status = :pending AND attempts = :attempts',
        ExpressionAttributeNames: { '#status': 'status', '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: { ':failed': 'failed', ':why': why, ':pending': 'pending', ':attempts': delivery.attempts },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
