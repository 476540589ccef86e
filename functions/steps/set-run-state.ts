/** SetRunState: move the run along its lifecycle (a repeat is harmless). */
import type { AppDeps } from '#functions/commons/deps';
import { ConflictError } from '#functions/domain/errors';
import type { RunState } from '#functions/domain/run-states';
import { getRun, moveRun } from '#functions/store/runs';
import { stepHandler, type RunInput } from './step';

export async function setRunState({ runId, state }: RunInput & { state: RunState }, deps: AppDeps): Promise<void> {
  if (await moveRun(deps.table, runId, state, deps.now())) return;
  const run = await getRun(deps.table, runId);
  if (run?.state !== state) throw new ConflictError(`run ${runId} is ${run?.state ?? 'gone'} and cannot become ${state}`);
}

export const handler = stepHandler(setRunState);
