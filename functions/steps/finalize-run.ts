/**
 * FinalizeRun: write usage records, revoke the run's tokens, and end the run:
 * Done when it was asked for and every VM is gone, Aborted otherwise.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '#functions/commons/deps';
import { isFinal, type RunState } from '#functions/domain/run-states';
import { recordUsage } from '#functions/runs/usage';
import { keys } from '#functions/store/keys';
import { getRun, listRunInstances, moveRun } from '#functions/store/runs';
import { stepHandler, type RunInput } from './step';

export async function finalizeRun({ runId }: RunInput, deps: AppDeps): Promise<{ state: RunState }> {
  const run = await getRun(deps.table, runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  if (isFinal(run.state)) return { state: run.state };
  const instances = await listRunInstances(deps.table, runId);
  const now = deps.now();
  await recordUsage(deps.table, run, instances, now);
  await Promise.all(
    instances.flatMap((i) => {
      const hash = i.tokenHash;
      return hash ? [deps.table.doc.send(new DeleteCommand({ TableName: deps.table.name, Key: keys.apiKey(hash) }))] : [];
    }),
  );
  const left = instances.filter((i) => i.state !== 'terminated');
  const reasons = [run.abortReason, left.length ? `VMs not terminated: ${left.map((i) => `${i.name} (${i.error ?? i.state})`).join(', ')}` : undefined].filter(Boolean);
  const state: RunState = reasons.length ? 'Aborted' : 'Done';
  await moveRun(deps.table, runId, state, now, reasons.length ? { abortReason: reasons.join('; ') } : {});
  return { state: (await getRun(deps.table, runId))?.state ?? state };
}

export const handler = stepHandler(finalizeRun);
