/** Deleting a version-controlled resource: its HEAD and name go, its versions stay for the runs that used them. */
import { keys } from './keys';
import { deleteWithName } from './resources';
import type { TableClient } from './table-client';
import type { VersionedMeta, VersionedType } from './versioned';

/** @throws NotFoundError when the resource is gone already */
export async function deleteVersioned(table: TableClient, type: VersionedType, current: Pick<VersionedMeta, 'id' | 'owner' | 'name'>): Promise<void> {
  await deleteWithName(table, keys.head(type, current.id), { type, owner: current.owner, name: current.name });
}
