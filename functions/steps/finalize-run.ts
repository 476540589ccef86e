/**
 * FinalizeRun: sweep the clouds for VMs of the run that no record knows of, write
 * usage records, revoke the run's tokens, and end the run: Done when it was asked
 * for and every VM is gone, Aborted otherwise.
 */
import type { AppDeps } from '#functions/commons/deps';
import { isFinal, type RunState } from '#functions/domain/run-states';
import { usageTotals } from '#functions/domain/usage';
import { sweepLeftoverVms } from '#functions/runs/leftover-sweep';
import { revokeRunTokens } from '#functions/store/run-tokens';
import { appendEvent, getRun, listRunInstances, moveRun } from '#functions/store/runs';
import { putUsageRecords } from '#functions/store/usage';
import { stepHandler, type RunInput } from './step';

/** `ended` is true only for the call that ended the run (a repeat reports the state it found). */
export async function finalizeRun({ runId }: RunInput, deps: AppDeps): Promise<{ state: RunState; ended: boolean }> {
  const run = await getRun(deps.table, runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  if (isFinal(run.state)) return { state: run.state, ended: false };
  const instances = await listRunInstances(deps.table, runId);
  const sweep = await sweepLeftoverVms(deps, runId, instances);
  const now = deps.now();
  if (sweep.terminated.length) {
    await appendEvent(deps.table, runId, now, { type: 'sweep', message: `terminated VMs no record knew of: ${sweep.terminated.join(', ')}` });
  }
  await putUsageRecords(deps.table, run, usageTotals(instances, now));
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
  const ended = await moveRun(deps.table, runId, state, now, reasons.length ? { abortReason: reasons.join('; ') } : {});
  return { state: ended ? state : ((await getRun(deps.table, runId))?.state ?? state), ended };
}

export const handler = stepHandler(finalizeRun, { name: 'FinalizeRun' });
