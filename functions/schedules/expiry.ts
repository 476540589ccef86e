/**
 * Expiry schedule: runs whose `expiresAt` has passed are terminated. Found through
 * the sparse expiry index (a run leaves it when it starts finalizing), never a Scan.
 */
import type { AppDeps } from '#functions/commons/deps';
import { scheduleHandler } from './schedule-handler';
import { isFinal } from '#functions/domain/run-states';
import { requestTermination } from '#functions/runs/run-executions';
import { getRun, listExpiredRunIds } from '#functions/store/runs';

export async function expireRuns(deps: AppDeps): Promise<{ expired: string[] }> {
  const expired: string[] = [];
  for (const id of await listExpiredRunIds(deps.table, deps.now())) {
    const run = await getRun(deps.table, id);
    if (!run || run.state === 'Finalizing' || isFinal(run.state)) continue;
    await requestTermination(deps, run, `expired at ${run.expiresAt}`);
    expired.push(run.id);
  }
  return { expired };
}

export const handler = scheduleHandler('expiry', expireRuns);
