/**
 * BeginScale: the scale execution's first step. The API already moved the run to
 * Scaling with the added VMs' quota reserved; this writes the new instances'
 * intents if that call did not get to, and says what to create and terminate.
 */
import type { AppDeps } from '#functions/commons/deps';
import { RunNotSatisfiableError } from '#functions/domain/errors';
import { scaleWork, type ScaleWork } from '#functions/runs/scale-run';
import { getRun } from '#functions/store/runs';
import { stepHandler, type RunInput } from './step';

export async function beginScale({ runId, scaleId }: RunInput & { scaleId: string }, deps: AppDeps): Promise<ScaleWork> {
  const run = await getRun(deps.table, runId);
  if (!run) throw new RunNotSatisfiableError(`run ${runId} does not exist`);
  return scaleWork(deps, run, scaleId);
}

export const handler = stepHandler(beginScale, { name: 'BeginScale' });
