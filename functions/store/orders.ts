/**
 * Orders. An order moves along its lifecycle (functions/domain/orders.ts) only
 * through `changeOrder`: one transaction, conditional on the version it read, that
 * changes the order, appends the step its customer sees, writes the event item
 * (the table stream publishes it: `order-state`, `order-step`, `order-warning`) and
 * whatever must change with it — the run's expiry and its index entry, the pending
 * end-of-term warning — so no change happens without its step and event, and none
 * twice. Indexes: the customer's orders (byOwner), every order (byType), a vendor's
 * orders (the live-instances index, `VENDOR#<id>#order`) and, for billing, Active
 * orders by start and ended ones by end (the expiry index, `ORDERS-OPEN` / `ORDERS-ENDED`).
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DeleteCommandInput,
  type PutCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { z } from 'zod';
import { canMoveOrder, nextWarning, type OrderState, type OrderWarning } from '#functions/domain/orders';
import type { RunState } from '#functions/domain/run-states';
import type { Order } from '#functions/schemas/store-catalog';
import { decodeCursor, dueItems, encodeCursor, failedConditions, isConditionFailure, queryAll, queryPage, toResource, type Page } from './items';
import { indexKeys, keys, ORDER_EVENT_SK_PREFIX } from './keys';
import { TABLE } from './table';
import type { TableClient } from './table-client';

/** An order as stored: what its customer and vendor see, and the run state its last step reported. */
export type OrderDoc = z.output<typeof Order> & {
  /** The state of `run` as the order's steps last reported it. */
  runState?: RunState;
};

/** The kinds of an order's event items (their `type`), as the table stream carries them. */
export type OrderEventKind = 'order-state' | 'order-step' | 'order-warning';

/** One order event as stored in the order's partition. */
export interface OrderEvent {
  type: OrderEventKind;
  message: string;
  /** The order's state (after the change). */
  state: OrderState;
  /** The state left (`order-state` events). */
  previousState?: OrderState;
  run?: string;
}

/** The item of one order event: who it is for (the customer, as `owner`; the product's vendor), when, what. */
export function orderEventItem(order: Pick<OrderDoc, 'id' | 'customer' | 'vendor' | 'product'>, at: string, event: OrderEvent): Record<string, unknown> {
  return {
    ...keys.orderEvent(order.id, at, ulid()),
    order: order.id,
    owner: order.customer,
    vendor: order.vendor,
    product: order.product,
    at,
    ...Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Stores a new order with its first step and event, and its indexes.
 * @returns false when an order with that id exists already (nothing written)
 */
export async function putOrder(table: TableClient, order: OrderDoc): Promise<boolean> {
  const first = order.steps[0];
  const item = {
    ...keys.order(order.id),
    ...indexKeys.byOwner('order', order.customer, `${order.createdAt}#${order.id}`),
    ...indexKeys.byType('order', `${order.createdAt}#${order.id}`),
    ...indexKeys.vendorOrders(order.vendor, order.createdAt, order.id),
    ...order,
  };
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: table.name,
              Item: orderEventItem(order, order.createdAt, { type: 'order-state', state: order.state, message: first?.message ?? 'order placed' }),
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (failedConditions(error).includes(0)) return false;
    throw error;
  }
}

/** An order, read consistently (the steps that move it read what the last one wrote). */
export async function getOrder(table: TableClient, id: string): Promise<OrderDoc | undefined> {
  const out = await table.doc.send(new GetCommand({ TableName: table.name, Key: keys.order(id), ConsistentRead: true }));
  return out.Item ? toResource<OrderDoc>(out.Item) : undefined;
}

/** Which orders to list: one customer's, the orders of one vendor's products, or (neither) every order. */
export type OrderFilter = { customer: string } | { vendor: string } | Record<string, never>;

/** Orders, newest first. */
export async function listOrders(table: TableClient, filter: OrderFilter, page: { limit: number; cursor?: string }): Promise<Page<OrderDoc>> {
  const [index, pk] =
    'customer' in filter
      ? [TABLE.indexes.byOwner, indexKeys.byOwner('order', filter.customer, '').gsi1pk]
      : 'vendor' in filter
        ? [TABLE.indexes.liveRuns, indexKeys.vendorOrders(filter.vendor, '', '').livePk]
        : [TABLE.indexes.byType, indexKeys.byType('order', '').gsi2pk];
  return queryPage<OrderDoc>(
    table,
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ScanIndexForward: false,
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': pk },
    },
    page,
  );
}

/** What a change does to an order. Without `to`, the order stays in its state and only gets a step. */
export interface OrderChange {
  to?: OrderState;
  message: string;
  /** The event kind of a step without a state change. @default 'order-step' */
  kind?: Exclude<OrderEventKind, 'order-state'>;
  set?: Record<string, unknown>;
  remove?: string[];
  /** Transaction items that change with the order (each with its own condition). */
  also?: Record<string, unknown>[];
}

export type ChangeOutcome =
  | { changed: true; order: OrderDoc }
  /** The decision made no change, or the order is gone. */
  | { changed: false; order?: OrderDoc }
  /** One of `also`'s conditions failed (its position in `also`): nothing was written. */
  | { changed: false; order: OrderDoc; failedAlso: number };

/** Tries of a change that others' changes of the same order keep overtaking. */
const CHANGE_TRIES = 5;

/**
 * Reads the order, asks `decide` what to do with it, and does it in one transaction
 * conditional on the version read; when another change came first, reads again and
 * asks again. `decide` returning undefined changes nothing (a repeat, or a change
 * that no longer applies). A state move the lifecycle does not allow is refused here too.
 */
export async function changeOrder(
  table: TableClient,
  orderId: string,
  now: Date,
  decide: (order: OrderDoc) => OrderChange | undefined,
): Promise<ChangeOutcome> {
  for (let attempt = 1; ; attempt++) {
    const order = await getOrder(table, orderId);
    if (!order) return { changed: false };
    const change = decide(order);
    if (!change || (change.to !== undefined && !canMoveOrder(order.state, change.to))) return { changed: false, order };
    const at = now.toISOString();
    const state = change.to ?? order.state;
    const step = { at, state, message: change.message };
    const fields = Object.entries({ ...change.set, state, updatedAt: at }).filter(([, v]) => v !== undefined);
    const remove = change.remove ?? [];
    const event: OrderEvent = change.to
      ? { type: 'order-state', state, previousState: order.state, message: change.message, run: (change.set?.run as string | undefined) ?? order.run }
      : { type: change.kind ?? 'order-step', state, message: change.message, run: order.run };
    const also = change.also ?? [];
    try {
      await table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table.name,
                Key: keys.order(orderId),
                UpdateExpression:
                  `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}, #steps = list_append(#steps, :step), #version = #version + :one` +
                  (remove.length ? ` REMOVE ${remove.map((_, i) => `#r${i}`).join(', ')}` : ''),
                ConditionExpression: '#version = :read',
                ExpressionAttributeNames: {
                  ...Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])),
                  ...Object.fromEntries(remove.map((k, i) => [`#r${i}`, k])),
                  '#steps': 'steps',
                  '#version': 'version',
                },
                ExpressionAttributeValues: {
                  ...Object.fromEntries(fields.map(([, v], i) => [`:f${i}`, v])),
                  ':step': [step],
                  ':one': 1,
                  ':read': order.version,
                },
              },
            },
            { Put: { TableName: table.name, Item: orderEventItem(order, at, event) } },
            ...also,
          ],
        }),
      );
      const after = { ...order, ...Object.fromEntries(fields), steps: [...order.steps, step], version: order.version + 1 } as OrderDoc;
      for (const field of remove) delete (after as Record<string, unknown>)[field];
      return { changed: true, order: after };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const failed = failedConditions(error);
      const failedAlso = failed.find((i) => i >= 2);
      if (failedAlso !== undefined && !failed.includes(0)) return { changed: false, order, failedAlso: failedAlso - 2 };
      if (attempt >= CHANGE_TRIES) throw error;
    }
  }
}

/** The index attributes of the billing indexes (Active from `startsAt`, ended at `endedAt`), to set or to remove. */
export const BILLING_INDEX_ATTRIBUTES = [TABLE.indexes.byExpiry.partitionKey, TABLE.indexes.byExpiry.sortKey] as const;

/** Fields that put an Active order in billing's "open" index. */
export const openOrderIndex = (startsAt: string, orderId: string): Record<string, string> => indexKeys.orderOpen(startsAt, orderId);

/** Fields that move an order that was Active to billing's "ended" index. */
export const endedOrderIndex = (endedAt: string, orderId: string): Record<string, string> => indexKeys.orderEnded(endedAt, orderId);

/** The transaction item that schedules `warning` as the order's next end-of-term warning (replacing any other), or removes it. */
export function reminderItem(
  table: TableClient,
  order: Pick<OrderDoc, 'id'>,
  endsAt: string | undefined,
  warning: OrderWarning | undefined,
): Record<string, unknown> {
  const key = keys.orderReminder(order.id);
  if (!warning || !endsAt) return { Delete: { TableName: table.name, Key: key } };
  return {
    Put: {
      TableName: table.name,
      Item: { ...key, ...indexKeys.orderReminderDue(warning.at, order.id), order: order.id, endsAt, kind: warning.kind, dueAt: warning.at },
    },
  };
}

/**
 * The transaction item that sets a Ready run's `expiresAt` (and its expiry index entry),
 * conditional on the run being `state` with the expiry `was` (absent: none): a run
 * already finalizing has left the expiry index, and is not given one back.
 */
export function runExpiryItem(table: TableClient, runId: string, expiresAt: string, was: { state: RunState; expiresAt?: string }): Record<string, unknown> {
  const expiry = indexKeys.byExpiry(expiresAt, runId);
  return {
    Update: {
      TableName: table.name,
      Key: keys.run(runId),
      UpdateExpression: 'SET #expiresAt = :expiresAt, #expPk = :expPk, #expSk = :expSk',
      ConditionExpression: was.expiresAt === undefined ? '#state = :state AND attribute_not_exists(#expiresAt)' : '#state = :state AND #expiresAt = :was',
      ExpressionAttributeNames: {
        '#expiresAt': 'expiresAt',
        '#state': 'state',
        '#expPk': TABLE.indexes.byExpiry.partitionKey,
        '#expSk': TABLE.indexes.byExpiry.sortKey,
      },
      ExpressionAttributeValues: {
        ':expiresAt': expiresAt,
        ':state': was.state,
        ':expPk': expiry.expPk,
        ':expSk': expiry.expSk,
        ...(was.expiresAt === undefined ? {} : { ':was': was.expiresAt }),
      },
    },
  };
}

/** A transaction item that only checks that a run is in `state`. */
export function runStateCheck(table: TableClient, runId: string, state: RunState): Record<string, unknown> {
  return {
    ConditionCheck: {
      TableName: table.name,
      Key: keys.run(runId),
      ConditionExpression: '#state = :state',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':state': state },
    },
  };
}

/** Schedules the next warning of an order ending at `endsAt` (after `now`), or removes the reminder (no end, or none left). */
export async function setReminder(table: TableClient, orderId: string, endsAt: string | undefined, now: Date): Promise<void> {
  const item = reminderItem(table, { id: orderId }, endsAt, endsAt ? nextWarning(endsAt, now) : undefined) as { Put?: object; Delete?: object };
  if (item.Put) await table.doc.send(new PutCommand(item.Put as PutCommandInput));
  else await table.doc.send(new DeleteCommand(item.Delete as DeleteCommandInput));
}

/** A pending end-of-term warning as stored. */
export interface ReminderDoc {
  order: string;
  endsAt: string;
  kind: string;
  dueAt: string;
}

/** The order's pending warning, read consistently. */
export async function getReminder(table: TableClient, orderId: string): Promise<ReminderDoc | undefined> {
  const out = await table.doc.send(new GetCommand({ TableName: table.name, Key: keys.orderReminder(orderId), ConsistentRead: true }));
  return out.Item ? toResource<ReminderDoc>(out.Item) : undefined;
}

/** Ids of orders whose pending warning is due at `now`, through the expiry index's order-reminder partition (at most `limit`). */
export async function listDueReminders(table: TableClient, now: Date, limit = 100): Promise<string[]> {
  const items = await dueItems(table, indexKeys.orderReminderDue('', '').expPk, now, { attributes: ['order'], limit });
  return items.map((item) => String(item.order));
}

/** The cursor of `listOrdersActiveBetween`: which of its two queries, and where in it. */
interface ActiveCursor {
  phase: 'open' | 'ended';
  key?: Record<string, unknown>;
}

/**
 * Orders that were Active at some moment of [`fromIso`, `toIso`): those Active now that
 * started before `toIso`, then those that ended after `fromIso` having started before
 * `toIso` — two Queries of the expiry index (`ORDERS-OPEN` by start, `ORDERS-ENDED` by
 * end), never a Scan. Each order appears once. Pages hold at most `limit` orders (a
 * page may hold fewer while more follow); pass `nextCursor` back for the next page.
 * For billing: an order's active period is [`startsAt`, `endedAt` or now), its plan is `plan`, its runs `runs`.
 */
export async function listOrdersActiveBetween(
  table: TableClient,
  fromIso: string,
  toIso: string,
  page: { limit?: number; cursor?: string } = {},
): Promise<Page<OrderDoc>> {
  const from = new Date(fromIso).toISOString();
  const to = new Date(toIso).toISOString();
  const cursor = (decodeCursor(page.cursor) as ActiveCursor | undefined) ?? { phase: 'open' };
  const index = TABLE.indexes.byExpiry;
  const open = cursor.phase === 'open';
  const out = await table.doc.send(
    new QueryCommand({
      TableName: table.name,
      IndexName: index.name,
      KeyConditionExpression: open ? '#pk = :pk AND #sk < :to' : '#pk = :pk AND #sk > :from',
      ...(open ? {} : { FilterExpression: '#startsAt < :to' }),
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, ...(open ? {} : { '#startsAt': 'startsAt' }) },
      ExpressionAttributeValues: open
        ? { ':pk': indexKeys.orderOpen('', '').expPk, ':to': to }
        : { ':pk': indexKeys.orderEnded('', '').expPk, ':from': indexKeys.expiredBy(from), ':to': to },
      Limit: page.limit ?? 100,
      ExclusiveStartKey: cursor.key,
    }),
  );
  const items = (out.Items ?? []).map((item) => toResource<OrderDoc>(item));
  const next: ActiveCursor | undefined = out.LastEvaluatedKey ? { phase: cursor.phase, key: out.LastEvaluatedKey } : open ? { phase: 'ended' } : undefined;
  return { items, nextCursor: encodeCursor(next as Record<string, unknown> | undefined) };
}

/** Every order event, oldest first (tests and operators; customers read the order's `steps`). */
export async function listOrderEvents(table: TableClient, orderId: string): Promise<Record<string, unknown>[]> {
  return queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': keys.order(orderId).pk, ':sk': ORDER_EVENT_SK_PREFIX },
  });
}
