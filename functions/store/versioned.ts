/**
 * Version-controlled resources (images, deployments): a HEAD item that lists and
 * updates like any resource, plus one immutable item per version so that
 * `?version=N` and runs can read exactly what was used. The images a HEAD uses (an
 * image's parent, a deployment's node images) are recorded as reference items in the
 * same transactions (see references.ts), so a used image cannot be deleted.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, ForbiddenError, NotFoundError } from '#functions/domain/errors';
import { pathOf, type Placed, type ProjectFilter } from '#functions/domain/projects';
import { grantOf, type Access } from './grants';
import { failedConditions, getItem, isConditionFailure, queryPage, toResource, type Page } from './items';
import { indexKeys, keys, type VersionedType } from './keys';
import { projectCondition, projectCountItems, projectMoveItems } from './projects';
import { unuseItem, useItems } from './references';
import { type Visibility } from './resources';
import { TABLE } from './table';
import type { TableClient } from './table-client';

export type { VersionedType };

export interface VersionedMeta {
  id: string;
  owner: string;
  name: string;
  /** The project it lives in; none at the top level. */
  project?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What a caller needs of a resource: to see it, to run (or build on) it, or to change it (owner or admin). */
export type Need = Access | 'own';

const RANK: Record<Need, number> = { read: 1, run: 2, own: 3 };

/** The image ids a version uses: an image's parent, a deployment's node images. */
export function imagesUsedBy(doc: object): string[] {
  const { parent, nodes } = doc as { parent?: unknown; nodes?: unknown };
  const images = Array.isArray(nodes) ? (nodes as { image?: unknown }[]).map((n) => n.image) : [];
  const ids = [parent, ...images].filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)].sort();
}

function useOf(table: TableClient, type: VersionedType, id: string, images: string[]) {
  return images.flatMap((image) => useItems(table, { type: 'image', id: image, key: keys.head('image', image) }, { type, id }));
}

/** The images among `used` that are gone, when a transaction failed on one of its reference items (from `first` on). */
async function goneImages(table: TableClient, error: unknown, first: number, used: string[]): Promise<string[]> {
  const failed = failedConditions(error).filter((i) => i >= first && (i - first) % 2 === 0);
  const ids = failed.map((i) => used[(i - first) / 2]!);
  const gone = await Promise.all(ids.map(async (id) => ((await getItem(table, keys.head('image', id))) ? undefined : id)));
  return gone.filter((id): id is string => !!id);
}

const usedGone = (ids: string[]) => new ConflictError(`image ${ids.join(', ')} was deleted meanwhile: refer to another image`);

/** The refusal of a path in use: "A deployment named "site" exists already in project shop". */
const nameTaken = (type: VersionedType, doc: Placed) =>
  new ConflictError(`A ${type} named "${doc.name}" exists already ${doc.project ? `in project ${doc.project}` : 'at the top level'}`);

/** The refusal of an update based on a version that is no longer HEAD's. */
const staleVersion = (expected: number, current: unknown) => new ConflictError(`version ${expected} is stale: the current version is ${String(current)}`);

/** The index attributes a HEAD is listed by: by default its owner's (by path) and its type's (by creation). */
export type HeadIndexes<T extends VersionedMeta> = (type: VersionedType, doc: T) => Record<string, unknown>;

const listedByPath: HeadIndexes<VersionedMeta> = (type, doc) => ({
  ...indexKeys.byOwner(type, doc.owner, pathOf(doc)),
  ...indexKeys.byType(type, `${doc.createdAt}#${doc.id}`),
});

/** A HEAD item: the resource, its key, and the index attributes that list it. */
function headItem<T extends VersionedMeta>(type: VersionedType, doc: T, indexes: HeadIndexes<T>): object {
  return { ...keys.head(type, doc.id), ...indexes(type, doc), ...doc };
}

/** The item that keeps `doc`'s path unique among its owner's resources of `type`. */
const pathGuard = (type: VersionedType, doc: Pick<VersionedMeta, 'id' | 'owner' | 'name' | 'project'>) => ({
  ...keys.uniqueName(type, doc.owner, pathOf(doc)),
  id: doc.id,
});

/**
 * Writes HEAD, version 1, the path guard, the references to the images it uses and its project's count.
 * @throws ConflictError for a path in use, or a used image deleted meanwhile
 */
export async function createVersioned<T extends VersionedMeta>(
  table: TableClient,
  type: VersionedType,
  doc: T,
  indexes: HeadIndexes<T> = listedByPath,
): Promise<T> {
  const used = imagesUsedBy(doc);
  const absent = 'attribute_not_exists(pk)';
  const items = [
    { Put: { TableName: table.name, Item: headItem(type, doc, indexes), ConditionExpression: absent } },
    { Put: { TableName: table.name, Item: pathGuard(type, doc), ConditionExpression: absent } },
    { Put: { TableName: table.name, Item: { ...keys.version(type, doc.id, 1), ...doc }, ConditionExpression: absent } },
    ...useOf(table, type, doc.id, used),
    ...projectCountItems(table, type, doc.owner, doc.project, 1),
  ];
  try {
    await table.doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const gone = await goneImages(table, error, 3, used);
    if (gone.length) throw usedGone(gone);
    throw nameTaken(type, doc);
  }
  return doc;
}

/**
 * Writes version `expected + 1` if HEAD is still at `expected`; moves the path guard on
 * a rename or a move to another project (and the projects' counts), and the references
 * when the images it uses change.
 */
export async function updateVersioned<T extends VersionedMeta>(
  table: TableClient,
  type: VersionedType,
  current: T,
  expected: number,
  next: T,
  indexes: HeadIndexes<T> = listedByPath,
): Promise<T> {
  const doc = { ...next, version: expected + 1 };
  const renamed = pathOf(current) !== pathOf(doc);
  const before = imagesUsedBy(current);
  const added = imagesUsedBy(doc).filter((id) => !before.includes(id));
  const dropped = before.filter((id) => !imagesUsedBy(doc).includes(id));
  const items = [
    {
      Put: {
        TableName: table.name,
        Item: headItem(type, doc, indexes),
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':expected': expected },
      },
    },
    { Put: { TableName: table.name, Item: { ...keys.version(type, doc.id, doc.version), ...doc }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ...(renamed
      ? [
          { Delete: { TableName: table.name, Key: keys.uniqueName(type, doc.owner, pathOf(current)) } },
          { Put: { TableName: table.name, Item: pathGuard(type, doc), ConditionExpression: 'attribute_not_exists(pk)' } },
        ]
      : []),
    ...dropped.map((image) => unuseItem(table, 'image', image, { type, id: doc.id })),
    ...projectMoveItems(table, type, doc.owner, current.project, doc.project),
  ];
  const firstUse = items.length;
  items.push(...useOf(table, type, doc.id, added));
  try {
    await table.doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const gone = await goneImages(table, error, firstUse, added);
    if (gone.length) throw usedGone(gone);
    const head = await getItem(table, keys.head(type, doc.id));
    if (head && head.version !== expected) throw staleVersion(expected, head.version);
    throw nameTaken(type, doc);
  }
  return doc;
}

/** What the caller may do with a resource: own it (owner, admin), what a grant gives, or nothing. */
async function accessTo(table: TableClient, type: VersionedType, head: Record<string, unknown>, who: Visibility): Promise<Need | undefined> {
  if (who.isAdmin || head.owner === who.userId) return 'own';
  return grantOf(table, type, String(head.id), who.userId);
}

/**
 * HEAD, or version N, of a resource the caller may use as `need` says (default: read).
 * @throws NotFoundError when it does not exist or the caller may not see it;
 *   ForbiddenError when they may see it but not do what `need` says
 */
export async function getVersioned<T extends VersionedMeta>(
  table: TableClient,
  type: VersionedType,
  id: string,
  who: Visibility,
  options: { version?: number; need?: Need } = {},
): Promise<T> {
  const { version, need = 'read' } = options;
  const head = await getItem(table, keys.head(type, id));
  const access = head && (await accessTo(table, type, head, who));
  if (!head || !access) throw new NotFoundError(`${type} ${id} not found`);
  if (RANK[access] < RANK[need]) {
    throw new ForbiddenError(need === 'own' ? `${type} ${id} is shared with you, not yours to change` : `${type} ${id} is shared with you to ${access} only`);
  }
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

/**
 * The caller's resources of a type, by path; an admin lists everyone's, by creation.
 * `filter` keeps one project's (the caller's own are read from that project's key range).
 */
export async function listVersioned<T>(
  table: TableClient,
  type: VersionedType,
  who: Visibility,
  page: { limit: number; cursor?: string },
  filter?: ProjectFilter,
): Promise<Page<T>> {
  const index = who.isAdmin ? TABLE.indexes.byType : TABLE.indexes.byOwner;
  const pk = who.isAdmin ? indexKeys.byType(type, '').gsi2pk : indexKeys.byOwner(type, who.userId, '').gsi1pk;
  const below = !who.isAdmin && filter?.project !== undefined ? `${filter.project}/` : undefined;
  const kept = filter ? projectCondition(filter) : { names: {}, values: {} };
  return queryPage<T>(
    table,
    {
      IndexName: index.name,
      KeyConditionExpression: below ? '#pk = :pk AND begins_with(#sk, :below)' : '#pk = :pk',
      ...(kept.expression ? { FilterExpression: kept.expression } : {}),
      ExpressionAttributeNames: { '#pk': index.partitionKey, ...(below ? { '#sk': index.sortKey } : {}), ...kept.names },
      ExpressionAttributeValues: { ':pk': pk, ...(below ? { ':below': below } : {}), ...kept.values },
    },
    page,
  );
}
