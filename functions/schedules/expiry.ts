/**
 * Expiry schedule: runs whose `expiresAt` has passed are terminated. Found through
 * the sparse expiry index (a run leaves it when it starts finalizing), never a Scan.
 */
import type { AppDeps } from '#functions/commons/deps';
import { appDeps } from '#functions/commons/deps';
import { queryAll } from '#functions/store/items';
import { getRun } from '#functions/store/runs';
import { TABLE } from '#functions/store/table';
import { requestTermination } from '#functions/runs/terminate';

export async function expireRuns(deps: AppDeps): Promise<{ expired: string[] }> {
  const index = TABLE.indexes.byExpiry;
  const due = await queryAll(deps.table, {
    IndexName: index.name,
    KeyConditionExpression: `${index.partitionKey} = :pk AND ${index.sortKey} <= :now`,
    ExpressionAttributeValues: { ':pk': 'EXPIRY', ':now': `${deps.now().toISOString()}#~` },
  });
  const expired: string[] = [];
  for (const item of due) {
    const run = await getRun(deps.table, String(item.id));
    if (!run || ['Finalizing', 'Done', 'Aborted'].includes(run.state)) continue;
    await requestTermination(deps, run, `expired at ${run.expiresAt}`);
    expired.push(run.id);
  }
  return { expired };
}

export const handler = () => expireRuns(appDeps());
