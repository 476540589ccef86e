/** ReleaseQuota: give back what ReserveQuota took (once, whatever happens). */
import type { AppDeps } from '#functions/commons/deps';
import { releaseQuota } from '#functions/store/quota-reservations';
import { getRun } from '#functions/store/runs';
import { stepHandler, type RunInput } from './step';

export async function releaseRunQuota({ runId }: RunInput, deps: AppDeps): Promise<void> {
  const run = await getRun(deps.table, runId);
  if (run) await releaseQuota(deps.table, run);
}

export const handler = stepHandler(releaseRunQuota, { name: 'ReleaseQuota' });
