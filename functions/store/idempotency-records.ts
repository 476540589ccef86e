/**
 * Where `Idempotency-Key` records live: Powertools' DynamoDB persistence layer over
 * the one table, in one partition of `keys.idempotency` with the hashed key as
 * sort key, expired by the table's TTL attribute.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { keys } from './keys';
import { TABLE } from './table';
import type { TableClient } from './table-client';

/** Records of one table; one layer per table client, so tests over several tables stay apart. */
const layers = new WeakMap<TableClient, DynamoDBPersistenceLayer>();

/** The persistence layer for `Idempotency-Key` records in `table`. */
export function idempotencyRecords(table: TableClient): DynamoDBPersistenceLayer {
  let layer = layers.get(table);
  if (!layer) {
    layer = new DynamoDBPersistenceLayer({
      tableName: table.name,
      keyAttr: TABLE.partitionKey,
      sortKeyAttr: TABLE.sortKey,
      staticPkValue: keys.idempotency('http', '').pk,
      expiryAttr: TABLE.ttlAttribute,
      // The document client shares its base client's configuration and middleware stack,
      // so it sends the layer's low-level commands exactly as that client would.
      awsSdkV3Client: table.doc as unknown as DynamoDBClient,
    });
    layers.set(table, layer);
  }
  return layer;
}
