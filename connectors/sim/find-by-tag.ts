/** Reads the VM an account already holds for a tag, through the tag's guard item. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CloudInstance, InstanceTag } from '#connectors/contract';
import { simKeys } from './sim-keys';
import type { SimContext } from './context';
import { tableCall } from './table-errors';
import { forgottenInstance, isExpired, simTagKey, toCloudInstance, type SimTagItem, type SimVmItem } from './vm-item';

/**
 * The VM made for `tag`, as the cloud reports it now; undefined when the tag is
 * free (never used, or its guard expired). Reads are strongly consistent: a
 * create that just lost the race must see the winner's VM.
 */
export async function findByTag(ctx: SimContext, tag: InstanceTag): Promise<CloudInstance | undefined> {
  const { where } = ctx;
  const guard = await readItem<SimTagItem>(ctx, simTagKey(where, tag));
  const now = ctx.now();
  if (!guard || isExpired(guard, now)) return undefined;
  const vm = await readItem<SimVmItem>(ctx, simKeys.vm(where.connector, where.account, guard.vmId));
  return vm && !isExpired(vm, now) ? toCloudInstance(vm, now) : forgottenInstance(guard.vmId, tag);
}

/** One item of the account, read strongly consistent (what a create or build just wrote must show). */
export async function readItem<T>(ctx: SimContext, key: { pk: string; sk: string }, what = 'read by tag'): Promise<T | undefined> {
  const { table } = ctx;
  const result = await tableCall(what, () => table.doc.send(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true })));
  return result.Item as T | undefined;
}
