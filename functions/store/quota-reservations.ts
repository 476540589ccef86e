/**
 * Quota reservation: one transaction reserves every connector's VMs for a run and
 * marks the run as holding them, so a repeated step never counts twice and a run
 * that exceeds any quota reserves nothing. Release is the mirror image.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { QuotaExceededError } from '#functions/domain/errors';
import { failedConditions } from '#functions/store/items';
import { keys } from '#functions/store/keys';
import { quotaFor } from '#functions/store/quotas';
import type { TableClient } from '#functions/store/table-client';

export async function reserveQuota(table: TableClient, run: { id: string; owner: string }, counts: Record<string, number>): Promise<void> {
  const connectors = Object.keys(counts).sort();
  const quotas = await Promise.all(connectors.map((c) => quotaFor(table, run.owner, c)));
  // A run larger than the whole quota can never fit: refuse it before any write
  // (the condition below alone would let it through while `used` does not exist yet).
  const tooBig = connectors.filter((c, i) => counts[c]! > (quotas[i]?.maxVms ?? 0));
  if (tooBig.length) {
    const detail = tooBig.map((c) => {
      const q = quotas[connectors.indexOf(c)];
      return `${c}: ${q?.used ?? 0} of ${q?.maxVms ?? 0} VMs in use, this run needs ${counts[c]}`;
    });
    throw new QuotaExceededError(`quota exceeded on ${detail.join('; ')}`);
  }
  const items = connectors.map((connector, i) => {
    const limit = quotas[i]?.maxVms ?? 0;
    return {
      Update: {
        TableName: table.name,
        Key: keys.quota(run.owner, connector),
        UpdateExpression: 'SET #user = :user, #connector = :connector ADD #used :n',
        // The limit read above still holds (no override changed meanwhile), and there is room.
        ConditionExpression: '(attribute_not_exists(#used) OR #used <= :room) AND (attribute_not_exists(maxVms) OR maxVms = :limit)',
        ExpressionAttributeNames: { '#used': 'used', '#user': 'user', '#connector': 'connector' },
        ExpressionAttributeValues: { ':n': counts[connector], ':room': limit - counts[connector]!, ':limit': limit, ':user': run.owner, ':connector': connector },
      },
    };
  });
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table.name,
              Key: keys.run(run.id),
              UpdateExpression: 'SET quotaReserved = :counts',
              ConditionExpression: 'attribute_not_exists(quotaReserved)',
              ExpressionAttributeValues: { ':counts': counts },
            },
          },
          ...items,
        ],
      }),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (failed.includes(0)) return; // reserved by an earlier attempt of this step
    const over = failed.filter((i) => i > 0).map((i) => connectors[i - 1]!);
    if (over.length) {
      const fresh = await Promise.all(over.map((c) => quotaFor(table, run.owner, c)));
      const detail = over.map((c, i) => `${c}: ${fresh[i]?.used ?? 0} of ${fresh[i]?.maxVms ?? 0} VMs in use, this run needs ${counts[c]}`);
      throw new QuotaExceededError(`quota exceeded on ${detail.join('; ')}`);
    }
    throw error;
  }
}

export async function releaseQuota(table: TableClient, run: { id: string; owner: string; quotaReserved?: Record<string, number> }): Promise<void> {
  const counts = run.quotaReserved;
  if (!counts) return;
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table.name,
              Key: keys.run(run.id),
              UpdateExpression: 'SET quotaReleased = :t',
              ConditionExpression: 'attribute_exists(quotaReserved) AND attribute_not_exists(quotaReleased)',
              ExpressionAttributeValues: { ':t': true },
            },
          },
          ...Object.entries(counts).map(([connector, n]) => ({
            Update: {
              TableName: table.name,
              Key: keys.quota(run.owner, connector),
              UpdateExpression: 'ADD #used :minus',
              ExpressionAttributeNames: { '#used': 'used' },
              ExpressionAttributeValues: { ':minus': -n },
            },
          })),
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error).includes(0)) return; // released by an earlier attempt
    throw error;
  }
}
