/**
 * The teardown states shared by both machines: terminate every VM the run
 * created (never more than a connector's `maxIaasWorkers` at once), then release
 * the quota and close the run in one task. A VM that cannot be terminated is recorded on its instance and
 * the run ends Aborted naming it, rather than the machine failing half-way.
 */
import { terminateEachMap } from './instance-maps';
import { TEARDOWN } from './state-names';
import { taskResource } from './task-functions';
import { plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';

const runIdOnly = { 'runId.$': '$.runId' };

/** States from `TerminateInstances` to the end; expects `$.teardown` as BeginFinalizing returns it. */
export function teardownStates() {
  return {
    [TEARDOWN.terminateInstances]: terminateEachMap({
      names: { each: TEARDOWN.terminateInstance, failure: TEARDOWN.recordTerminateFailure },
      comment: 'Every instance the run planned, at most the smallest maxIaasWorkers of its connectors at once.',
      itemsPath: '$.teardown.instances',
      concurrencyPath: '$.teardown.maxIaasWorkers',
      next: TEARDOWN.finalizeRun,
    }),
    [TEARDOWN.finalizeRun]: {
      Type: 'Task',
      Comment: 'Releases the quota, closes usage records and ends the run Done; a run that ends Aborted fails this task with RunAborted and its reason.',
      Resource: taskResource('FinalizeRun'),
      Parameters: runIdOnly,
      TimeoutSeconds: TASK_TIMEOUT_SECONDS,
      Retry: plainTaskRetries,
      ResultPath: '$.outcome',
      End: true,
    },
  };
}
