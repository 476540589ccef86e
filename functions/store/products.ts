/**
 * Products, versioned like images and deployments: a HEAD item that lists and
 * changes, plus one immutable item per version (an order records the version it
 * bought). Every change — an edit, a publish, a retire — is a new version, written
 * only if HEAD is still at the version the change was based on (409 otherwise).
 * The writes are the versioned resources' own (versioned.ts); only HEAD's index
 * attributes differ: they sort by state first, so a vendor's products, the catalog
 * (published products of every vendor) and a vendor's published products are each
 * one Query with a key condition.
 */
import type { z } from 'zod';
import { pathOf, type ProjectFilter } from '#functions/domain/projects';
import type { Product } from '#functions/schemas/store-catalog';
import { getItem, queryPage, toResource, type Page } from './items';
import { indexKeys, keys } from './keys';
import { projectCondition } from './projects';
import { createVersioned, updateVersioned, type HeadIndexes } from './versioned';
import { TABLE } from './table';
import type { TableClient } from './table-client';

export type ProductDoc = z.output<typeof Product>;
export type ProductState = ProductDoc['state'];

/** A product's HEAD is listed by state first: by its vendor (then path) and in the catalog (then creation). */
const byState: HeadIndexes<ProductDoc> = (_type, doc) => ({
  ...indexKeys.productByOwner(doc.owner, doc.state, pathOf(doc)),
  ...indexKeys.productByType(doc.state, doc.createdAt, doc.id),
});

/**
 * Writes HEAD, version 1, the path guard and its project's count.
 * @throws ConflictError when the vendor has a product of that name in that project
 */
export const createProduct = (table: TableClient, doc: ProductDoc): Promise<ProductDoc> => createVersioned(table, 'product', doc, byState);

/**
 * Writes `next` as version `expected + 1` if HEAD is still at `expected`, moving the path guard
 * (and the projects' counts) on a rename or a move.
 * @throws ConflictError for a stale version or a path in use
 */
export const updateProduct = (table: TableClient, current: ProductDoc, expected: number, next: ProductDoc): Promise<ProductDoc> =>
  updateVersioned(table, 'product', current, expected, next, byState);

/** HEAD, or version `version`, of a product, whoever owns it (callers decide who may see it). */
export async function getProduct(table: TableClient, id: string, version?: number): Promise<ProductDoc | undefined> {
  const item = await getItem(table, version === undefined ? keys.head('product', id) : keys.version('product', id, version));
  return item ? toResource<ProductDoc>(item) : undefined;
}

/** Which products to list: one vendor's (or every vendor's), in every state or in one, of one project or all. */
export interface ProductFilter {
  owner?: string;
  state?: ProductState;
  project?: ProjectFilter;
}

/** Products by vendor and name (`owner`), or of every vendor by creation time; `state` narrows either to one state. */
export async function listProducts(table: TableClient, filter: ProductFilter, page: { limit: number; cursor?: string }): Promise<Page<ProductDoc>> {
  const index = filter.owner === undefined ? TABLE.indexes.byType : TABLE.indexes.byOwner;
  const pk = filter.owner === undefined ? indexKeys.productByType('', '', '').gsi2pk : indexKeys.productByOwner(filter.owner, '', '').gsi1pk;
  const byState = filter.state !== undefined;
  const kept = filter.project ? projectCondition(filter.project) : { names: {}, values: {} };
  return queryPage<ProductDoc>(
    table,
    {
      IndexName: index.name,
      KeyConditionExpression: byState ? '#pk = :pk AND begins_with(#sk, :state)' : '#pk = :pk',
      ...(kept.expression ? { FilterExpression: kept.expression } : {}),
      ExpressionAttributeNames: { '#pk': index.partitionKey, ...(byState ? { '#sk': index.sortKey } : {}), ...kept.names },
      ExpressionAttributeValues: { ':pk': pk, ...(byState ? { ':state': indexKeys.productStatePrefix(filter.state!) } : {}), ...kept.values },
    },
    page,
  );
}
