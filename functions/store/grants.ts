/**
 * Sharing: an owner grants another user `read` (see it) or `run` (also launch it, or
 * build on it) on an image or deployment. A grant is an item in the resource's own
 * partition, so checking one is a GetItem and deleting the resource finds them all.
 */
import type { z } from 'zod';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '#functions/domain/errors';
import type { Grant as GrantSchema, GrantAccess } from '#functions/schemas/grants';
import { getItem, isConditionFailure, queryAll } from './items';
import { keys, type VersionedType } from './keys';
import type { TableClient } from './table-client';

export type Grant = z.output<typeof GrantSchema>;
export type Access = z.output<typeof GrantAccess>;

/** Grants one resource may hold: its delete removes them all in one transaction. */
export const MAX_GRANTS = 20;

const toGrant = (item: Record<string, unknown>): Grant => ({
  user: String(item.user),
  access: item.access === 'run' ? 'run' : 'read',
  createdAt: String(item.createdAt),
  updatedAt: String(item.updatedAt),
});

/** What `user` was granted on the resource, if anything. */
export async function grantOf(table: TableClient, type: VersionedType, id: string, user: string): Promise<Access | undefined> {
  const item = await getItem(table, keys.grant(type, id, user));
  return item ? toGrant(item).access : undefined;
}

/** Every grant on the resource, by user id. */
export async function listGrants(table: TableClient, type: VersionedType, id: string): Promise<Grant[]> {
  const prefix = keys.grantPrefix(type, id);
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix },
    ConsistentRead: true,
  });
  return items.map(toGrant);
}

/**
 * Grants `user` `access` on the resource, replacing what they had.
 * @throws ConflictError past MAX_GRANTS users
 */
export async function putGrant(table: TableClient, type: VersionedType, id: string, grant: { user: string; access: Access }, now: Date): Promise<Grant> {
  const existing = await listGrants(table, type, id);
  const before = existing.find((g) => g.user === grant.user);
  if (!before && existing.length >= MAX_GRANTS) throw new ConflictError(`a ${type} may be shared with at most ${MAX_GRANTS} users`);
  const at = now.toISOString();
  const item = { ...grant, createdAt: before?.createdAt ?? at, updatedAt: at };
  await table.doc.send(new PutCommand({ TableName: table.name, Item: { ...keys.grant(type, id, grant.user), ...item } }));
  return item;
}

/** @throws NotFoundError when the user holds no grant on the resource */
export async function deleteGrant(table: TableClient, type: VersionedType, id: string, user: string): Promise<void> {
  try {
    await table.doc.send(new DeleteCommand({ TableName: table.name, Key: keys.grant(type, id, user), ConditionExpression: 'attribute_exists(pk)' }));
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFoundError(`${type} ${id} is not shared with ${user}`);
    throw error;
  }
}

/** The transaction items that delete every grant on a resource (its delete runs them). */
export async function grantRemovals(table: TableClient, type: VersionedType, id: string): Promise<Record<string, unknown>[]> {
  return (await listGrants(table, type, id)).map((g) => ({ Delete: { TableName: table.name, Key: keys.grant(type, id, g.user) } }));
}
