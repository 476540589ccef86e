/**
 * Orphans: VMs in a cloud account that carry Slipway's tag but belong to no live
 * instance (a run's record lost, a create that teardown never saw). The monitor
 * records each one when it first sees it and forgets it when it is gone, so a tick
 * that finds nothing new writes nothing; admins list them; after a connector's grace
 * period the monitor terminates them.
 */
import { DeleteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { InstanceTag } from '#connectors/contract';
import { isConditionFailure, queryAll, queryPage, toResource, type Page } from './items';
import { indexKeys, keys } from './keys';
import { runEventItem } from './runs';
import { TABLE } from './table';
import type { TableClient } from './table-client';

export interface Orphan {
  connector: string;
  credentialId: string;
  cloudId: string;
  tag: InstanceTag;
  rawState: string;
  firstSeenAt: string;
  /** Set once the monitor terminated it. */
  terminatedAt?: string;
}

/** The orphans recorded for one account (connector + credential): a bounded partition. */
export async function listAccountOrphans(table: TableClient, connector: string, credentialId: string): Promise<Orphan[]> {
  const { pk } = keys.orphan(connector, credentialId, '');
  const items = await queryAll(table, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });
  return items.map((item) => toResource<Orphan>(item));
}

/** The stored item of an orphan: its key and its place in the orphans' listing. */
function orphanItem(orphan: Orphan): Record<string, unknown> {
  return {
    ...keys.orphan(orphan.connector, orphan.credentialId, orphan.cloudId),
    ...indexKeys.byType('orphan', `${orphan.firstSeenAt}#${orphan.cloudId}`),
    ...orphan,
  };
}

/** The Query of every recorded orphan, through the byType index. */
const ORPHANS_QUERY = {
  IndexName: TABLE.indexes.byType.name,
  KeyConditionExpression: '#pk = :pk',
  ExpressionAttributeNames: { '#pk': TABLE.indexes.byType.partitionKey },
  ExpressionAttributeValues: { ':pk': indexKeys.byType('orphan', '').gsi2pk },
};

/**
 * Records an orphan the first time it is seen (a repeat changes nothing), with an
 * `orphan` event on the run its tag names, in the same transaction: the event is
 * published to the run's owner (`owner`: the run's, or the credential's when the run is gone).
 */
export async function recordOrphan(table: TableClient, orphan: Orphan, owner?: string): Promise<void> {
  const { tag } = orphan;
  const event = runEventItem({ id: tag.run, owner }, orphan.firstSeenAt, {
    type: 'orphan',
    instance: `${tag.node}.${tag.index}`,
    cloudId: orphan.cloudId,
    connector: orphan.connector,
    message: `orphan VM ${orphan.cloudId} (${tag.node}.${tag.index}) on ${orphan.connector}: tagged for this run, no instance of it owns it (${orphan.rawState})`,
  });
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: orphanItem(orphan), ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: table.name, Item: event } },
        ],
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Forgets an orphan that is gone from the cloud. */
export async function forgetOrphan(table: TableClient, orphan: Pick<Orphan, 'connector' | 'credentialId' | 'cloudId'>): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.name, Key: keys.orphan(orphan.connector, orphan.credentialId, orphan.cloudId) }));
}

/** Marks an orphan terminated by the monitor. */
export async function markOrphanTerminated(table: TableClient, orphan: Orphan, at: Date): Promise<void> {
  await table.doc.send(
    new PutCommand({
      TableName: table.name,
      Item: orphanItem({ ...orphan, terminatedAt: at.toISOString() }),
    }),
  );
}

/** Every recorded orphan, oldest first (admins). */
export async function listOrphans(table: TableClient, page: { limit: number; cursor?: string }): Promise<Page<Orphan>> {
  return queryPage<Orphan>(table, ORPHANS_QUERY, page);
}

/** The accounts that have recorded orphans (so the monitor keeps watching them with no live instance left). */
export async function listOrphanAccounts(table: TableClient): Promise<{ connector: string; credentialId: string }[]> {
  const items = await queryAll(table, { ...ORPHANS_QUERY, ProjectionExpression: 'connector, credentialId, terminatedAt' });
  const accounts = new Map<string, { connector: string; credentialId: string }>();
  for (const item of items) {
    if (item.terminatedAt) continue;
    accounts.set(`${String(item.connector)}#${String(item.credentialId)}`, { connector: String(item.connector), credentialId: String(item.credentialId) });
  }
  return [...accounts.values()];
}
