/** ReserveQuota: atomically reserve the run's VMs on every connector, or fail naming the quota. */
import type { AppDeps } from '#functions/commons/deps';
import { countByConnector } from '#functions/domain/run-plan';
import { reserveQuota } from '#functions/store/quota-reservations';
import { getRun, listRunInstances } from '#functions/store/runs';
import { stepHandler, type RunInput } from './step';

export async function reserveRunQuota({ runId }: RunInput, deps: AppDeps): Promise<void> {
  const run = await getRun(deps.table, runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  await reserveQuota(deps.table, run, countByConnector(await listRunInstances(deps.table, runId)));
}

export const handler = stepHandler(reserveRunQuota, { name: 'ReserveQuota' });
