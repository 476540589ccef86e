/**
 * Which runs hold live VMs on a connector (or on one credential of it), found through
 * the sparse live-instances index: what a connector or credential delete must not strand,
 * since terminating those VMs needs both.
 */
import { queryAll } from './items';
import { indexKeys } from './keys';
import { TABLE } from './table';
import type { TableClient } from './table-client';

/** Ids of the runs with a live VM on `connector` (with `credentialId`, on that credential only), oldest id first. */
export async function liveRunsOn(table: TableClient, connector: string, credentialId?: string): Promise<string[]> {
  const index = TABLE.indexes.liveRuns;
  const items = await queryAll(table, {
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :on)',
    ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#run': 'run' },
    ExpressionAttributeValues: { ':pk': indexKeys.liveRuns('', '', '').livePk, ':on': indexKeys.liveOn(connector, credentialId) },
    ProjectionExpression: '#run',
  });
  return [...new Set(items.map((item) => String(item.run)))].sort();
}
