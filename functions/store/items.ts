/**
 * Generic item access: the only place that turns table items into resources,
 * encodes cursors, and applies the optimistic `version` condition. A cursor here is
 * the start key as base64url JSON; the HTTP kit seals it for the caller
 * (functions/http/kit/cursor.ts), and `queryPage` still checks what it gets back.
 */
import { GetCommand, QueryCommand, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { indexKeys } from './keys';
import { TABLE } from './table';
import type { TableClient } from './table-client';
import { ValidationError } from '#functions/domain/errors';

const INTERNAL = new Set<string>([
  TABLE.partitionKey,
  TABLE.sortKey,
  TABLE.ttlAttribute,
  ...Object.values(TABLE.indexes).flatMap((i) => [i.partitionKey, i.sortKey]),
]);

/** Drops key and index attributes: what is left is the resource users see. */
export function toResource<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !INTERNAL.has(k))) as T;
}

export async function getItem(table: TableClient, key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
  const out = await table.doc.send(new GetCommand({ TableName: table.name, Key: key }));
  return out.Item;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

const invalidCursor = () => new ValidationError('The cursor is not one this API returned', [{ path: 'query.cursor', message: 'invalid cursor' }]);

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Record<string, unknown>;
  } catch {
    // fall through to the validation error
  }
  throw invalidCursor();
}

type PageQueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>;

/**
 * True when `key` is a start key of this query: exactly the key attributes of the
 * table (and of the index queried), strings all, in the queried partition and
 * under the queried sort key prefix.
 */
function isStartKeyOf(input: PageQueryInput, key: Record<string, unknown>): boolean {
  const index = Object.values(TABLE.indexes).find((i) => i.name === input.IndexName);
  if (input.IndexName && !index) return false;
  const attributes = [TABLE.partitionKey, TABLE.sortKey, ...(index ? [index.partitionKey, index.sortKey] : [])];
  const names = Object.keys(key);
  if (names.length !== attributes.length || !attributes.every((a) => typeof key[a] === 'string')) return false;
  const attribute = (ref: string) => (ref.startsWith('#') ? input.ExpressionAttributeNames?.[ref] : ref);
  const value = (ref: string) => input.ExpressionAttributeValues?.[ref];
  const condition = input.KeyConditionExpression ?? '';
  const partition = /^\s*(#?\w+)\s*=\s*(:\w+)/.exec(condition);
  if (partition && key[attribute(partition[1]!) ?? ''] !== value(partition[2]!)) return false;
  const prefix = /begins_with\(\s*(#?\w+)\s*,\s*(:\w+)\s*\)/.exec(condition);
  if (prefix && !String(key[attribute(prefix[1]!) ?? '']).startsWith(String(value(prefix[2]!)))) return false;
  return true;
}

/** DynamoDB's own refusal of a start key (e.g. outside the query's sort key range). */
const isStartKeyRefusal = (error: unknown) => error instanceof Error && error.name === 'ValidationException' && /start(ing)? ?key/i.test(error.message);

/**
 * One page of a Query (never a Scan).
 * @throws ValidationError (on `query.cursor`) for a cursor that is not a start key of this query
 */
export async function queryPage<T>(
  table: TableClient,
  input: PageQueryInput,
  page: { limit: number; cursor?: string },
  map: (item: Record<string, unknown>) => T = (item) => toResource<T>(item),
): Promise<Page<T>> {
  const start = decodeCursor(page.cursor);
  if (start && !isStartKeyOf(input, start)) throw invalidCursor();
  try {
    const out = await table.doc.send(new QueryCommand({ ...input, TableName: table.name, Limit: page.limit, ExclusiveStartKey: start }));
    return { items: (out.Items ?? []).map(map), nextCursor: encodeCursor(out.LastEvaluatedKey) };
  } catch (error) {
    if (isStartKeyRefusal(error)) throw invalidCursor();
    throw error;
  }
}

/**
 * The items due by `until` in one partition of the expiry index (sort keys `<time>#<ref>`),
 * oldest first: all of them, or the first `limit`; only `attributes` when given.
 */
export async function dueItems(
  table: TableClient,
  partition: string,
  until: Date,
  options: { attributes?: string[]; limit?: number } = {},
): Promise<Record<string, unknown>[]> {
  const index = TABLE.indexes.byExpiry;
  const projected = options.attributes ?? [];
  const input = {
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk AND #sk <= :until',
    ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, ...Object.fromEntries(projected.map((a, i) => [`#a${i}`, a])) },
    ExpressionAttributeValues: { ':pk': partition, ':until': indexKeys.expiredBy(until.toISOString()) },
    ...(projected.length ? { ProjectionExpression: projected.map((_, i) => `#a${i}`).join(', ') } : {}),
  };
  if (options.limit === undefined) return queryAll(table, input);
  return (await table.doc.send(new QueryCommand({ ...input, TableName: table.name, Limit: options.limit }))).Items ?? [];
}

/** Every item of a partition (or key prefix), following pages: for bounded partitions only. */
export async function queryAll(table: TableClient, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: table.doc }, { ...input, TableName: table.name })) items.push(...(page.Items ?? []));
  return items;
}

export function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  return error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
}

/** Which transaction items failed their condition (by position). */
export function failedConditions(error: unknown): number[] {
  if (!(error instanceof TransactionCanceledException)) return [];
  return (error.CancellationReasons ?? []).flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
}
