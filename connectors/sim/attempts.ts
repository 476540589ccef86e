/**
 * Counts the attempts of one seeded operation (a create for a VM tag, a build for
 * an image tag) atomically, so concurrent attempts draw different faults.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '#functions/store/table';
import type { SimContext } from './context';
import { tableCall } from './table-errors';
import { epochSeconds } from './vm-item';

/** Attempt counters outlive any run's provisioning; the table forgets them after a week. */
const ATTEMPTS_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/** Adds one to the counter at `key` and answers the new count (1 for a first attempt). */
export async function countAttempt(ctx: SimContext, key: { pk: string; sk: string }, what: string): Promise<number> {
  const { table } = ctx;
  const result = await tableCall(what, () =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: key,
        UpdateExpression: 'ADD attempts :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
        ExpressionAttributeValues: { ':one': 1, ':ttl': epochSeconds(ctx.now()) + ATTEMPTS_RETENTION_SECONDS },
        ReturnValues: 'UPDATED_NEW',
      }),
    ),
  );
  return Number(result.Attributes?.attempts ?? 1);
}
