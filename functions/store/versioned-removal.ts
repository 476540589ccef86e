/**
 * Deleting a version-controlled resource: its HEAD, name, grants and the references it
 * held go; its versions stay, for the runs that recorded them. An image that a
 * deployment's current version or another image still uses is not deleted (409).
 * Runs do not hold a deployment: they read the version they recorded, so a deployment
 * with live runs may go.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '#functions/domain/errors';
import { pathOf } from '#functions/domain/projects';
import { grantRemovals } from './grants';
import { getItem, isConditionFailure } from './items';
import { keys } from './keys';
import { projectCountItems } from './projects';
import { noNewUse, refuseWhileUsed, unuseItem, usersOf } from './references';
import type { TableClient } from './table-client';
import { imagesUsedBy, type VersionedMeta, type VersionedType } from './versioned';

/** Refuses while anything uses the image, naming the deployments and child images. */
async function refuseIfUsed(table: TableClient, type: VersionedType, id: string): Promise<void> {
  if (type !== 'image') return;
  const users = await usersOf(table, 'image', id);
  const of = (kind: string) => users.filter((u) => u.type === kind).map((u) => u.id);
  refuseWhileUsed(
    `image ${id}`,
    [
      { what: 'deployment(s)', ids: of('deployment') },
      { what: 'child image(s)', ids: of('image') },
    ],
    'point them at another image, or delete them, first',
  );
}

/**
 * @throws NotFoundError when the resource is gone already; ConflictError while an image
 *   is in use, or when the resource changed (or gained a user) during the delete
 */
export async function deleteVersioned(table: TableClient, type: VersionedType, current: Pick<VersionedMeta, 'id' | 'owner' | 'name'>): Promise<void> {
  // Read HEAD before looking for users: a reference made after this read bumps its counter, failing the delete.
  const head = await getItem(table, keys.head(type, current.id));
  if (!head) throw new NotFoundError(`${type} ${current.id} not found`);
  await refuseIfUsed(table, type, current.id);
  const unchanged = noNewUse(head);
  const project = head.project as string | undefined;
  const items = [
    {
      Delete: {
        TableName: table.name,
        Key: keys.head(type, current.id),
        ConditionExpression: `#version = :version AND ${unchanged.condition}`,
        ExpressionAttributeNames: { '#version': 'version', ...unchanged.names },
        ExpressionAttributeValues: { ':version': head.version, ...unchanged.values },
      },
    },
    { Delete: { TableName: table.name, Key: keys.uniqueName(type, String(head.owner), pathOf({ project, name: String(head.name) })) } },
    ...projectCountItems(table, type, String(head.owner), project, -1),
    ...imagesUsedBy(head).map((image) => unuseItem(table, 'image', image, { type, id: current.id })),
    ...(await grantRemovals(table, type, current.id)),
  ];
  try {
    await table.doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    await refuseIfUsed(table, type, current.id);
    throw new ConflictError(`${type} ${current.id} changed while being deleted; retry`);
  }
}
