/**
 * Generic item access: the only place that turns table items into resources,
 * encodes cursors, and applies the optimistic `version` condition.
 */
import { GetCommand, QueryCommand, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
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

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Record<string, unknown>;
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('The cursor is not one this API returned', [{ path: 'cursor', message: 'invalid cursor' }]);
}

/** One page of a Query (never a Scan). */
export async function queryPage<T>(
  table: TableClient,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
  page: { limit: number; cursor?: string },
  map: (item: Record<string, unknown>) => T = (item) => toResource<T>(item),
): Promise<Page<T>> {
  const out = await table.doc.send(
    new QueryCommand({ ...input, TableName: table.name, Limit: page.limit, ExclusiveStartKey: decodeCursor(page.cursor) }),
  );
  return { items: (out.Items ?? []).map(map), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** Every item of a partition (or key prefix), following pages: for bounded partitions only. */
export async function queryAll(
  table: TableClient,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: table.doc }, { ...input, TableName: table.name })) items.push(...(page.Items ?? []));
  return items;
}

export function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')
  );
}

/** Which transaction items failed their condition (by position). */
export function failedConditions(error: unknown): number[] {
  if (!(error instanceof TransactionCanceledException)) return [];
  return (error.CancellationReasons ?? []).flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
}
