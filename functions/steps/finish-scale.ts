/**
 * FinishScale: end a scale, done or rolled back. The run goes back to Ready, giving
 * back the quota of the VMs it no longer holds (the removed ones terminated, or a
 * failed scale's added ones), in one transaction with its events; a done scale
 * records the node's new multiplicity. Once: a repeat, or a scale whose run was
 * terminated meanwhile (FinalizeRun releases everything then), changes nothing.
 */
import type { AppDeps } from '#functions/commons/deps';
import { abortReason } from '#functions/domain/abort-reason';
import { scaleGiveBack } from '#functions/runs/scale-run';
import { quotaHolder } from '#functions/runs/launch-plan';
import { endScale } from '#functions/store/scales';
import { getRun, listRunInstances } from '#functions/store/runs';
import { stepHandler, type RunInput } from './step';

export async function finishScale(
  { runId, scaleId, error }: RunInput & { scaleId: string; error?: { Error?: string; Cause?: string } },
  deps: AppDeps,
): Promise<{ ended: boolean }> {
  const run = await getRun(deps.table, runId);
  const scaling = run?.scaling;
  if (!run || run.state !== 'Scaling' || scaling?.id !== scaleId) return { ended: false };
  const instances = await listRunInstances(deps.table, runId);
  const connector = instances.find((i) => i.node === scaling.node)?.connector ?? run.connector ?? '';
  const done = !error;
  const also = done ? [] : [{ type: 'scale', message: `scale of ${scaling.node} to ${scaling.to} rolled back: ${abortReason(error)}` }];
  const ended = await endScale(
    deps.table,
    runId,
    { id: scaleId, done, giveBack: scaleGiveBack(scaling, instances, connector, done), holder: quotaHolder(run), also },
    deps.now(),
  );
  return { ended };
}

export const handler = stepHandler(finishScale, { name: 'FinishScale' });
