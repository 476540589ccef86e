/**
 * Create, update and delete of plain resources with the contract's rules: a
 * unique name per owner (guard item), `version` +1 on every change, a stale
 * `version` refused with 409, a missing item or another owner's with 404.
 */
import { DeleteCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '#functions/domain/errors';
import { candidatePaths } from '#functions/domain/projects';
import { failedConditions, getItem, isConditionFailure, toResource } from './items';
import { keys, type ResourceType } from './keys';
import type { TableClient } from './table-client';

type Key = { pk: string; sk: string };

export interface Visibility {
  userId: string;
  isAdmin: boolean;
}

/** Reads an item the caller may see: its owner or an admin; anything else is 404. */
export async function getVisible<T>(table: TableClient, key: Key, who: Visibility, what: string): Promise<T & { owner: string; version: number }> {
  const item = await getItem(table, key);
  if (!item || (!who.isAdmin && item.owner !== who.userId)) throw new NotFoundError(`${what} not found`);
  return toResource(item);
}

/**
 * Puts a new item and, when `unique` is given, the guard that keeps its name unique;
 * `extra` items are put alongside, and `more` transaction items (e.g. references) run in the same transaction.
 * @throws ConflictError for a name in use, an item that exists, or (`moreFailed`) a failed condition of `more`
 */
export async function createWithName(
  table: TableClient,
  item: Key & { id?: unknown },
  unique?: { type: ResourceType; owner: string; name: string },
  extra: object[] = [],
  more: { items: object[]; failed: string } = { items: [], failed: '' },
): Promise<void> {
  const puts = [
    { Put: { TableName: table.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    ...(unique
      ? [
          {
            Put: {
              TableName: table.name,
              Item: { ...keys.uniqueName(unique.type, unique.owner, unique.name), id: item.id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : []),
    ...extra.map((Item) => ({ Put: { TableName: table.name, Item, ConditionExpression: 'attribute_not_exists(pk)' } })),
  ];
  try {
    await table.doc.send(new TransactWriteCommand({ TransactItems: [...puts, ...more.items] }));
  } catch (error) {
    if (failedConditions(error).includes(1) && unique) throw new ConflictError(`A ${unique.type} named "${unique.name}" exists already`);
    if (failedConditions(error).some((i) => i >= puts.length)) throw new ConflictError(more.failed);
    if (isConditionFailure(error)) throw new ConflictError('That resource exists already');
    throw error;
  }
}

/** Sets fields on an item if its version is still `expected`; returns the new item. */
export async function updateVersioned(
  table: TableClient,
  key: Key,
  expected: number,
  fields: Record<string, unknown>,
  now: Date,
): Promise<Record<string, unknown>> {
  const entries = Object.entries({ ...fields, updatedAt: now.toISOString() }).filter(([, v]) => v !== undefined);
  const names = Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k]));
  const values = Object.fromEntries(entries.map(([, v], i) => [`:f${i}`, v]));
  try {
    const out = await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: key,
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')}, #version = #version + :one`,
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: { ...names, '#version': 'version' },
        ExpressionAttributeValues: { ...values, ':one': 1, ':expected': expected },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toResource(out.Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) throw await staleOrMissing(table, key, expected);
    throw error;
  }
}

async function staleOrMissing(table: TableClient, key: Key, expected: number): Promise<Error> {
  const current = await getItem(table, key);
  if (!current) return new NotFoundError('Not found');
  return new ConflictError(`version ${expected} is stale: the current version is ${String(current.version)}`);
}

/**
 * Deletes an item (and its name guard); `expected` makes it conditional on the version;
 * `more` transaction items (e.g. dropping references) run in the same transaction.
 */
export async function deleteWithName(
  table: TableClient,
  key: Key,
  unique?: { type: ResourceType; owner: string; name: string },
  expected?: number,
  more: object[] = [],
): Promise<void> {
  const condition = expected === undefined ? 'attribute_exists(pk)' : 'attribute_exists(pk) AND #version = :expected';
  const del = {
    TableName: table.name,
    Key: key,
    ConditionExpression: condition,
    ...(expected === undefined ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expected } }),
  };
  try {
    if (!unique && !more.length) await table.doc.send(new DeleteCommand(del));
    else {
      const guard = unique ? [{ Delete: { TableName: table.name, Key: keys.uniqueName(unique.type, unique.owner, unique.name) } }] : [];
      await table.doc.send(new TransactWriteCommand({ TransactItems: [{ Delete: del }, ...guard, ...more] }));
    }
  } catch (error) {
    if (isConditionFailure(error)) throw await staleOrMissing(table, key, expected ?? 0);
    throw error;
  }
}

/**
 * The id behind a reference among one owner's resources: the ref itself when it is an
 * id, else the first of the paths it may mean (`candidatePaths`: a bare name used inside
 * project `within` is looked for there first) that names one.
 */
export async function resolveRef(
  table: TableClient,
  type: ResourceType,
  owner: string,
  ref: string,
  idPrefix: string,
  within?: string,
): Promise<string | undefined> {
  if (ref.startsWith(`${idPrefix}_`)) return ref;
  for (const path of candidatePaths(ref, within)) {
    const guard = await getItem(table, keys.uniqueName(type, owner, path));
    if (guard) return String(guard.id);
  }
  return undefined;
}
