/** Vendors' stores: a named list of their products, read by anyone (vendors embed them in their sites). */
import type { z } from 'zod';
import type { Store } from '#functions/schemas/store-catalog';
import { getItem, toResource } from './items';
import { indexKeys, keys } from './keys';
import { createWithName } from './resources';
import type { TableClient } from './table-client';

export type StoreDoc = z.output<typeof Store>;

/**
 * Stores a new store and the guard that keeps its name unique among its owner's stores.
 * @throws ConflictError for a name in use
 */
export async function createStore(table: TableClient, doc: StoreDoc): Promise<StoreDoc> {
  const item = {
    ...keys.store(doc.id),
    ...indexKeys.byOwner('store', doc.owner, doc.name),
    ...indexKeys.byType('store', `${doc.createdAt}#${doc.id}`),
    ...doc,
  };
  await createWithName(table, item, { type: 'store', owner: doc.owner, name: doc.name });
  return doc;
}

export async function getStore(table: TableClient, id: string): Promise<StoreDoc | undefined> {
  const item = await getItem(table, keys.store(id));
  return item ? toResource<StoreDoc>(item) : undefined;
}
