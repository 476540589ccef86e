/**
 * "Who uses this": reference items that a resource writes, in its own create and
 * update transactions, into the partition of what it uses (`keys.usedBy`), so a
 * delete finds every user with one consistent Query and never a Scan.
 *
 * The same transaction bumps a counter (`useSeq`) on the used item, failing if that
 * item is gone: a reference is never made to something deleted, and a delete that
 * conditions on the counter it read cannot miss a reference made after its Query.
 */
import { ConflictError } from '#functions/domain/errors';
import { queryAll } from './items';
import { keys, type ResourceType, type UsedType } from './keys';
import type { TableClient } from './table-client';

type Key = { pk: string; sk: string };
type TransactItem = Record<string, unknown>;

/** The attribute a new reference bumps on the used item. */
const USE_SEQ = 'useSeq';

export interface Referrer {
  type: ResourceType;
  id: string;
}

/** The items that record `by` using the item at `usedKey` (of type `used`, id `usedId`); the first fails if it is gone. */
export function useItems(table: TableClient, used: { type: UsedType; id: string; key: Key }, by: Referrer): TransactItem[] {
  return [
    {
      Update: {
        TableName: table.name,
        Key: used.key,
        UpdateExpression: 'ADD #seq :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#seq': USE_SEQ },
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    { Put: { TableName: table.name, Item: { ...keys.usedBy(used.type, used.id, by), type: by.type, id: by.id } } },
  ];
}

/** The item that drops the record of `by` using `usedId`. */
export function unuseItem(table: TableClient, used: UsedType, usedId: string, by: Referrer): TransactItem {
  return { Delete: { TableName: table.name, Key: keys.usedBy(used, usedId, by) } };
}

/** Every resource that uses `id` now (a strongly consistent Query of its reference items). */
export async function usersOf(table: TableClient, used: UsedType, id: string): Promise<Referrer[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.usedByPrefix(used, id).pk },
    ConsistentRead: true,
  });
  return items.map((item) => ({ type: item.type as ResourceType, id: String(item.id) }));
}

/**
 * The condition a delete adds so that it fails if a reference was made since it read
 * the item (whose `useSeq` was `seen`).
 */
export function noNewUse(seen: Record<string, unknown>): { condition: string; names: Record<string, string>; values: Record<string, unknown> } {
  const seq = seen[USE_SEQ];
  return typeof seq === 'number'
    ? { condition: '#seq = :seq', names: { '#seq': USE_SEQ }, values: { ':seq': seq } }
    : { condition: 'attribute_not_exists(#seq)', names: { '#seq': USE_SEQ }, values: {} };
}

/** How many of a list a refusal names before it says "and N more". */
const NAMED = 3;

/** "2 deployment(s) (dep_a, dep_b)": a count and the first few ids. */
export function describeUses(what: string, ids: string[]): string {
  const named = ids.slice(0, NAMED).join(', ');
  const more = ids.length > NAMED ? ` and ${ids.length - NAMED} more` : '';
  return `${ids.length} ${what} (${named}${more})`;
}

/**
 * Refuses to delete `subject` while anything uses it, naming each kind of user.
 * @throws ConflictError listing, per kind, how many and a few ids
 */
export function refuseWhileUsed(subject: string, uses: { what: string; ids: string[] }[], remedy: string): void {
  const present = uses.filter((use) => use.ids.length);
  if (!present.length) return;
  throw new ConflictError(`${subject} is still used by ${present.map((use) => describeUses(use.what, use.ids)).join(' and ')}: ${remedy}`);
}
