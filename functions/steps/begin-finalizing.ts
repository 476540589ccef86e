/**
 * BeginFinalizing: move the run to Finalizing (recording the abortReason when a
 * failure brought it here, and a `quota-refused` event when that failure was the
 * user's quota), take it off the expiry index, and list what to tear down.
 */
import type { AppDeps } from '#functions/commons/deps';
import { abortReason } from '#functions/domain/abort-reason';
import { DOMAIN_ERROR } from '#functions/domain/errors';
import { TABLE } from '#functions/store/table';
import { getRun, listRunInstances, moveRun } from '#functions/store/runs';
import { instanceWork, type InstanceWork } from '#functions/runs/instance-work';
import { stepHandler, type RunInput } from './step';

export async function beginFinalizing({ runId, error }: RunInput & { error?: { Error?: string; Cause?: string } }, deps: AppDeps): Promise<InstanceWork> {
  const run = await getRun(deps.table, runId);
  const expiry = TABLE.indexes.byExpiry;
  const reason = error && !run?.abortReason ? { abortReason: abortReason(error) } : {};
  // A quota refusal is an event of its own (published as slipway.quota.refused), written with the move.
  const refused = error?.Error === DOMAIN_ERROR.quotaExceeded ? [{ type: 'quota-refused', message: abortReason(error) }] : [];
  await moveRun(deps.table, runId, 'Finalizing', deps.now(), reason, [expiry.partitionKey, expiry.sortKey], refused);
  return instanceWork(deps.table, runId, await listRunInstances(deps.table, runId));
}

export const handler = stepHandler(beginFinalizing, { name: 'BeginFinalizing' });
