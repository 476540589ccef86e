/**
 * The bulk list the monitor calls once per (connector, credential): one Query on
 * the account's partition, paged, narrowed to a run when asked.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CloudInstance } from '#connectors/contract';
import { simKeys } from './sim-keys';
import { TABLE } from '#functions/store/table';
import type { SimContext } from './context';
import { tableCall } from './table-errors';
import { epochSeconds, toCloudInstance, type SimVmItem } from './vm-item';

/** Every VM of the account the table still remembers, terminated ones included until they expire. */
export async function listSimInstances(ctx: SimContext, filter: { run?: string } = {}): Promise<CloudInstance[]> {
  const { table, where } = ctx;
  const now = ctx.now();
  const account = simKeys.vmPrefix(where.connector, where.account);
  const byRun = filter.run !== undefined;
  const input: QueryCommandInput = {
    TableName: table.name,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    // Expired items linger until DynamoDB deletes them; a listing treats them as gone already.
    FilterExpression: `(attribute_not_exists(#ttl) OR #ttl > :now)${byRun ? ' AND #tag.#run = :run' : ''}`,
    ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute, ...(byRun ? { '#tag': 'tag', '#run': 'run' } : {}) },
    ExpressionAttributeValues: {
      ':pk': account.pk,
      ':prefix': account.skPrefix,
      ':now': epochSeconds(now),
      ...(byRun ? { ':run': filter.run } : {}),
    },
    // A VM just created must show up, or the monitor would report it gone.
    ConsistentRead: true,
  };
  const items: SimVmItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await tableCall('list instances', () => table.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })));
    items.push(...((page.Items ?? []) as SimVmItem[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.map((item) => toCloudInstance(item, now));
}
