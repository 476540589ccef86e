/**
 * Version-controlled resources (images, deployments): a HEAD item that lists and
 * updates like any resource, plus one immutable item per version so that
 * `?version=N` and runs can read exactly what was used.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '#functions/domain/errors';
import { getItem, isConditionFailure, queryPage, toResource, type Page } from './items';
import { indexKeys, keys } from './keys';
import { createWithName, type Visibility } from './resources';
import { TABLE } from './table';
import type { TableClient } from './table-client';

export type VersionedType = 'image' | 'deployment';

export interface VersionedMeta {
  id: string;
  owner: string;
  name: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export async function createVersioned<T extends VersionedMeta>(table: TableClient, type: VersionedType, doc: T): Promise<T> {
  const head = {
    ...keys.head(type, doc.id),
    ...indexKeys.byOwner(type, doc.owner, doc.name),
    ...indexKeys.byType(type, `${doc.createdAt}#${doc.id}`),
    ...doc,
  };
  await createWithName(table, head, { type, owner: doc.owner, name: doc.name }, [{ ...keys.version(type, doc.id, 1), ...doc }]);
  return doc;
}

/** Writes version `expected + 1` if HEAD is still at `expected`; moves the name guard on a rename. */
export async function updateVersioned<T extends VersionedMeta>(table: TableClient, type: VersionedType, current: T, expected: number, next: T): Promise<T> {
  const doc = { ...next, version: expected + 1 };
  const renamed = current.name !== doc.name;
  const items = [
    {
      Put: {
        TableName: table.name,
        Item: { ...keys.head(type, doc.id), ...indexKeys.byOwner(type, doc.owner, doc.name), ...indexKeys.byType(type, `${doc.createdAt}#${doc.id}`), ...doc },
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':expected': expected },
      },
    },
    { Put: { TableName: table.name, Item: { ...keys.version(type, doc.id, doc.version), ...doc }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ...(renamed
      ? [
          { Delete: { TableName: table.name, Key: keys.uniqueName(type, doc.owner, current.name) } },
          { Put: { TableName: table.name, Item: { ...keys.uniqueName(type, doc.owner, doc.name), id: doc.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ]
      : []),
  ];
  try {
    await table.doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const head = await getItem(table, keys.head(type, doc.id));
    if (head && head.version !== expected) throw new ConflictError(`version ${expected} is stale: the current version is ${String(head.version)}`);
    throw new ConflictError(`A ${type} named "${doc.name}" exists already`);
  }
  return doc;
}

/** HEAD, or version N, of a resource the caller may see. */
export async function getVersioned<T extends VersionedMeta>(table: TableClient, type: VersionedType, id: string, who: Visibility, version?: number): Promise<T> {
  const head = await getItem(table, keys.head(type, id));
  if (!head || (!who.isAdmin && head.owner !== who.userId)) throw new NotFoundError(`${type} ${id} not found`);
  if (version === undefined) return toResource<T>(head);
  const item = await getItem(table, keys.version(type, id, version));
  if (!item) throw new NotFoundError(`${type} ${id} has no version ${version}`);
  return toResource<T>(item);
}

/** The current version (HEAD) of a resource, whoever owns it (steps resolve image chains). */
export async function readHead<T>(table: TableClient, type: VersionedType, id: string): Promise<T | undefined> {
  const item = await getItem(table, keys.head(type, id));
  return item ? toResource<T>(item) : undefined;
}

/** An exact version, whoever owns it (steps read what a run recorded). */
export async function readVersion<T>(table: TableClient, type: VersionedType, id: string, version: number): Promise<T | undefined> {
  const item = await getItem(table, keys.version(type, id, version));
  return item ? toResource<T>(item) : undefined;
}

export async function listVersions<T>(table: TableClient, type: VersionedType, id: string, page: { limit: number; cursor?: string }): Promise<Page<T>> {
  const prefix = keys.versionPrefix(type, id);
  return queryPage<T>(
    table,
    { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)', ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix } },
    page,
  );
}

/** The caller's resources of a type, by name; an admin lists everyone's. */
export async function listVersioned<T>(table: TableClient, type: VersionedType, who: Visibility, page: { limit: number; cursor?: string }): Promise<Page<T>> {
  const index = who.isAdmin ? TABLE.indexes.byType : TABLE.indexes.byOwner;
  const pk = who.isAdmin ? indexKeys.byType(type, '').gsi2pk : indexKeys.byOwner(type, who.userId, '').gsi1pk;
  return queryPage<T>(
    table,
    { IndexName: index.name, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': index.partitionKey }, ExpressionAttributeValues: { ':pk': pk } },
    page,
  );
}
