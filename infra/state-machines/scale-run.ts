/**
 * The scale state machine: a Ready run's node scaled out or in (execution name = the
 * scale id; input `{ runId, scaleId }`). The API has moved the run to Scaling with the
 * added VMs' quota reserved. Removed instances (highest indexes first) are terminated,
 * added ones created (the deploy machine's CreateInstance, same retries) and waited
 * for with the deploy's CheckInstances loop, which also hands the new values to the
 * dependent nodes' inputs; FinishScale moves the run back to Ready. Any failure rolls
 * back: the added instances are terminated, their quota given back, and the run is
 * Ready again as it was (the execution then fails, naming why).
 */
import { bootLoopStates } from './boot-loop';
import { createEachMap, terminateEachMap } from './instance-maps';
import { SCALE } from './state-names';
import { taskResource } from './task-functions';
import { plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';

export const SCALE_TIMEOUT_SECONDS = 60 * 60;

const toRollback = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: SCALE.rollBackScale }];
const scaleRef = { 'runId.$': '$.runId', 'scaleId.$': '$.scaleId' };

export function scaleRunDefinition() {
  return {
    Comment: 'Slipway: scale a node of a Ready run (execution name = scale id).',
    TimeoutSeconds: SCALE_TIMEOUT_SECONDS,
    StartAt: SCALE.beginScale,
    States: {
      [SCALE.beginScale]: {
        Type: 'Task',
        Comment: "Write the added instances' intents (if the API did not get to) and list what to create and terminate.",
        Resource: taskResource('BeginScale'),
        Parameters: scaleRef,
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: plainTaskRetries,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: SCALE.abandonScale }],
        ResultPath: '$.scale',
        Next: SCALE.removeInstances,
      },
      [SCALE.removeInstances]: terminateEachMap({
        names: { each: SCALE.removeInstance, failure: SCALE.recordRemoveFailure },
        comment: 'The removed instances (highest indexes); empty when scaling out.',
        itemsPath: '$.scale.remove',
        concurrencyPath: '$.scale.maxIaasWorkers',
        next: SCALE.addInstances,
        catchTo: toRollback,
      }),
      [SCALE.addInstances]: createEachMap({
        name: SCALE.addInstance,
        comment: 'The added instances (indexes after the highest); empty when scaling in.',
        itemsPath: '$.scale.add',
        concurrencyPath: '$.scale.maxIaasWorkers',
        next: SCALE.waitForScaleBoot,
        catchTo: toRollback,
      }),
      ...bootLoopStates({
        names: {
          firstWait: SCALE.waitForScaleBoot,
          nextWait: SCALE.waitBeforeNextScaleCheck,
          check: SCALE.checkScale,
          isReady: SCALE.isScaleReady,
          deadlinePassed: SCALE.scaleDeadlinePassed,
        },
        planPath: '$.scale',
        comments: {
          check: "Every live instance's state and outputs; dependent nodes' inputs get the new values (a multi-valued source lists every instance).",
        },
        checkParameters: { 'runId.$': '$.runId', 'pollSeconds.$': '$.scale.pollSeconds', 'pollsBefore.$': '$.scale.pollsBefore' },
        catchTo: toRollback,
        onReady: SCALE.endScale,
        onDeadline: SCALE.rollBackScale,
        deadlineCause: 'The added VMs were not all ready before the boot deadline.',
      }),
      [SCALE.endScale]: {
        Type: 'Task',
        Comment: 'Scaling → Ready: the removed VMs\u2019 quota given back, the node\u2019s new multiplicity recorded.',
        Resource: taskResource('FinishScale'),
        Parameters: scaleRef,
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: plainTaskRetries,
        ResultPath: '$.outcome',
        End: true,
      },
      [SCALE.rollBackScale]: terminateEachMap({
        names: { each: SCALE.undoInstance, failure: SCALE.recordUndoFailure },
        comment: 'Roll back: terminate the instances this scale added.',
        itemsPath: '$.scale.add',
        concurrencyPath: '$.scale.maxIaasWorkers',
        next: SCALE.abandonScale,
      }),
      [SCALE.abandonScale]: {
        Type: 'Task',
        Comment: 'Scaling → Ready as before: the added VMs\u2019 quota given back, why it failed recorded.',
        Resource: taskResource('FinishScale'),
        Parameters: { ...scaleRef, 'error.$': '$.error' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: plainTaskRetries,
        ResultPath: '$.outcome',
        Next: SCALE.scaleRolledBack,
      },
      [SCALE.scaleRolledBack]: {
        Type: 'Fail',
        Error: 'ScaleRolledBack',
        Cause: 'The scale failed and was rolled back; the run is Ready as before.',
      },
    },
  };
}
