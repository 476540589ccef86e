/**
 * FinalizeRun: release the run's quota (once), sweep the clouds for VMs of the run
 * that no record knows of, write usage records (once), revoke the run's tokens, and end
 * the run: Done when it was asked for and every VM is gone, Aborted otherwise. An
 * Aborted run fails the task with `RunAbortedError` once all of that is done, so
 * the execution fails naming the reason; a Done run ends the execution.
 */
import type { AppDeps } from '#functions/commons/deps';
import { RunAbortedError } from '#functions/domain/errors';
import { isFinal, type RunState } from '#functions/domain/run-states';
import { usageTotals } from '#functions/domain/usage';
import { sweepLeftoverVms } from '#functions/runs/leftover-sweep';
import { quotaHolder } from '#functions/runs/launch-plan';
import { releaseQuota } from '#functions/store/quota-reservations';
import { revokeRunTokens } from '#functions/store/run-tokens';
import { settleOrderOfRun } from '#functions/runs/order-lifecycle';
import { appendEvent, getRun, listRunInstances, moveRun, type RunDoc } from '#functions/store/runs';
import { meteringInstant, putUsageRecords } from '#functions/store/usage';
import { stepHandler, type RunInput } from './step';

/**
 * `ended` is true only for the call that ended the run (a repeat reports the state it found).
 * @throws RunAbortedError when the run is (or already was) Aborted, after everything above is done
 */
export async function finalizeRun({ runId }: RunInput, deps: AppDeps): Promise<{ state: RunState; ended: boolean }> {
  const outcome = await endRun(runId, deps);
  // An order's run: the order it keeps Active ends with it (Expired or Cancelled); a repeat finds that done.
  await settleOrderOfRun(deps, { id: runId, sponsor: outcome.sponsor });
  if (outcome.state === 'Aborted') throw new RunAbortedError(outcome.reason ?? 'the run ended Aborted', outcome.ended);
  return { state: outcome.state, ended: outcome.ended };
}

async function endRun(runId: string, deps: AppDeps): Promise<{ state: RunState; ended: boolean; reason?: string; sponsor?: RunDoc['sponsor'] }> {
  const run = await getRun(deps.table, runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  if (isFinal(run.state)) return { state: run.state, ended: false, reason: run.abortReason, sponsor: run.sponsor };
  await releaseQuota(deps.table, { ...run, owner: quotaHolder(run) });
  const instances = await listRunInstances(deps.table, runId);
  const sweep = await sweepLeftoverVms(deps, runId, instances);
  const now = deps.now();
  if (sweep.terminated.length) {
    await appendEvent(deps.table, run, now, { type: 'sweep', message: `terminated VMs no record knew of: ${sweep.terminated.join(', ')}` });
  }
  // VMs still alive are counted up to one instant, fixed by the first attempt: a retry writes the same records.
  await putUsageRecords(deps.table, run, usageTotals(instances, await meteringInstant(deps.table, runId, now)));
  await revokeRunTokens(
    deps.table,
    instances.flatMap((i) => (i.tokenHash ? [i.tokenHash] : [])),
  );
  const left = instances.filter((i) => i.state !== 'terminated');
  const reasons = [
    run.abortReason,
    left.length ? `VMs not terminated: ${left.map((i) => `${i.name} (${i.error ?? i.state})`).join(', ')}` : undefined,
    sweep.failures.length ? `could not check the cloud for leftover VMs: ${sweep.failures.join('; ')}` : undefined,
  ].filter(Boolean);
  const state: RunState = reasons.length ? 'Aborted' : 'Done';
  const reason = reasons.length ? reasons.join('; ') : undefined;
  const ended = await moveRun(deps.table, runId, state, now, reason ? { abortReason: reason } : {});
  if (ended) return { state, ended, reason, sponsor: run.sponsor };
  const found = await getRun(deps.table, runId);
  return { state: found?.state ?? state, ended, reason: found?.abortReason ?? reason, sponsor: run.sponsor };
}

export const handler = stepHandler(finalizeRun, { name: 'FinalizeRun' });
