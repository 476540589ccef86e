/**
 * The terminate state machine, asked for by a user or by the expiry schedule:
 * Finalizing, then Done (or Aborted when a VM could not be terminated or the run
 * had failed). Input: `{ runId }`.
 */
import { TEARDOWN } from './state-names';
import { taskResource } from './task-functions';
import { plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';
import { teardownStates } from './teardown';

export const TERMINATE_TIMEOUT_SECONDS = 60 * 60;

export function terminateRunDefinition() {
  return {
    Comment: 'Slipway: terminate a run (execution name = run id).',
    TimeoutSeconds: TERMINATE_TIMEOUT_SECONDS,
    StartAt: TEARDOWN.beginFinalizing,
    States: {
      [TEARDOWN.beginFinalizing]: {
        Type: 'Task',
        Comment: 'Move the run to Finalizing and list what it created.',
        Resource: taskResource('BeginFinalizing'),
        Parameters: { 'runId.$': '$.runId' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: plainTaskRetries,
        ResultPath: '$.teardown',
        Next: TEARDOWN.terminateInstances,
      },
      ...teardownStates(),
    },
  };
}
