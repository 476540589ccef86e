/**
 * Idempotent terminate. The VM item stays, marked terminated and set to expire a
 * day later, so listings keep showing it terminated for a while as real clouds do;
 * its tag guard expires with it.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { simKeys } from './sim-keys';
import { TABLE } from '#functions/store/table';
import type { SimContext } from './context';
import { tableCall } from './table-errors';
import { TERMINATED_RETENTION_SECONDS, epochSeconds, simTagKey, type SimVmItem } from './vm-item';

/** Terminates a VM; an unknown or already terminated id is a success (the VM is gone either way). */
export async function terminateSimInstance(ctx: SimContext, cloudId: string): Promise<void> {
  const now = ctx.now();
  const values = { ':now': now.toISOString(), ':ttl': epochSeconds(now) + TERMINATED_RETENTION_SECONDS };
  const vm = await updateIfPresent<SimVmItem>(ctx, simKeys.vm(ctx.where.connector, ctx.where.account, cloudId), {
    // if_not_exists: a repeated terminate keeps the first time and expiry.
    UpdateExpression: 'SET terminatedAt = if_not_exists(terminatedAt, :now), #ttl = if_not_exists(#ttl, :ttl)',
    ExpressionAttributeValues: values,
  });
  if (!vm) return;
  await updateIfPresent(ctx, simTagKey(ctx.where, vm.tag), {
    UpdateExpression: 'SET #ttl = if_not_exists(#ttl, :ttl)',
    ExpressionAttributeValues: { ':ttl': vm.ttl ?? values[':ttl'] },
  });
}

/** Updates an item that exists; returns it as updated, or undefined when there is none. */
async function updateIfPresent<T>(
  ctx: SimContext,
  key: { pk: string; sk: string },
  update: { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> },
): Promise<T | undefined> {
  const { table } = ctx;
  const command = new UpdateCommand({
    TableName: table.name,
    Key: key,
    ...update,
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
    ReturnValues: 'ALL_NEW',
  });
  const result = await tableCall('terminate', async () => {
    try {
      return await table.doc.send(command);
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  });
  return result?.Attributes as T | undefined;
}
