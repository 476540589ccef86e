/** RecordTerminateFailure: a VM that could not be terminated is marked, so the run ends Aborted naming it. */
import type { AppDeps } from '#functions/commons/deps';
import { abortReason } from '#functions/domain/abort-reason';
import { updateInstance } from '#functions/store/runs';
import { stepHandler, type InstanceInput } from './step';

export async function recordTerminateFailure(
  { runId, node, index, error }: InstanceInput & { error?: { Error?: string; Cause?: string } },
  deps: AppDeps,
): Promise<void> {
  await updateInstance(deps.table, { run: runId, node, index }, { state: 'error', error: `could not terminate: ${abortReason(error)}` }, { now: deps.now() });
}

export const handler = stepHandler(recordTerminateFailure, { name: 'RecordTerminateFailure' });
