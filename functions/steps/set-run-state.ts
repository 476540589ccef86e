/**
 * SetRunState: move the run along its lifecycle. Re-entrant: a repeat, or a step
 * re-run after a crash that finds the run already there or further along the
 * deploy path, is a no-op; a run that left the path (finalizing) is a conflict.
 */
import type { AppDeps } from '#functions/commons/deps';
import { ConflictError } from '#functions/domain/errors';
import { hasReached, type RunState } from '#functions/domain/run-states';
import { getRun, moveRun } from '#functions/store/runs';
import { stepHandler, type RunInput } from './step';

export async function setRunState({ runId, state }: RunInput & { state: RunState }, deps: AppDeps): Promise<void> {
  if (await moveRun(deps.table, runId, state, deps.now())) return;
  const run = await getRun(deps.table, runId);
  if (!run || !hasReached(run.state, state)) throw new ConflictError(`run ${runId} is ${run?.state ?? 'gone'} and cannot become ${state}`);
}

export const handler = stepHandler(setRunState, { name: 'SetRunState' });
