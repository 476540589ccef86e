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
import { DOMAIN_ERROR } from '#functions/domain/errors';
import { SCALE } from './state-names';
import { taskResource } from './task-functions';
import { cloudTaskRetries, plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';

export const SCALE_TIMEOUT_SECONDS = 60 * 60;

const toRollback = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: SCALE.rollBackScale }];
const scaleRef = { 'runId.$': '$.runId', 'scaleId.$': '$.scaleId' };

/** A Map terminating the instances at `itemsPath`; a VM that cannot be terminated is recorded on its instance. */
function terminateEach(names: { each: string; failure: string }, comment: string, itemsPath: string, next: string, catchTo?: object[]) {
  return {
    Type: 'Map',
    Comment: comment,
    ItemsPath: itemsPath,
    MaxConcurrencyPath: '$.scale.maxIaasWorkers',
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: names.each,
      States: {
        [names.each]: {
          Type: 'Task',
          Resource: taskResource('TerminateInstance'),
          TimeoutSeconds: TASK_TIMEOUT_SECONDS,
          Retry: cloudTaskRetries,
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: names.failure }],
          ResultPath: null,
          End: true,
        },
        [names.failure]: {
          Type: 'Task',
          Resource: taskResource('RecordTerminateFailure'),
          TimeoutSeconds: TASK_TIMEOUT_SECONDS,
          Retry: plainTaskRetries,
          ResultPath: null,
          End: true,
        },
      },
    },
    ResultPath: null,
    ...(catchTo ? { Catch: catchTo } : {}),
    Next: next,
  };
}

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
      [SCALE.removeInstances]: terminateEach(
        { each: SCALE.removeInstance, failure: SCALE.recordRemoveFailure },
        'The removed instances (highest indexes); empty when scaling out.',
        '$.scale.remove',
        SCALE.addInstances,
        toRollback,
      ),
      [SCALE.addInstances]: {
        Type: 'Map',
        Comment: 'The added instances (indexes after the highest); empty when scaling in.',
        ItemsPath: '$.scale.add',
        MaxConcurrencyPath: '$.scale.maxIaasWorkers',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: SCALE.addInstance,
          States: {
            [SCALE.addInstance]: {
              Type: 'Task',
              Resource: taskResource('CreateInstance'),
              TimeoutSeconds: TASK_TIMEOUT_SECONDS,
              Retry: cloudTaskRetries,
              ResultPath: null,
              End: true,
            },
          },
        },
        Catch: toRollback,
        ResultPath: null,
        Next: SCALE.waitForScaleBoot,
      },
      [SCALE.waitForScaleBoot]: {
        Type: 'Wait',
        SecondsPath: '$.scale.pollSeconds',
        Next: SCALE.checkScale,
      },
      [SCALE.waitBeforeNextScaleCheck]: {
        Type: 'Wait',
        SecondsPath: '$.boot.waitSeconds',
        Next: SCALE.checkScale,
      },
      [SCALE.checkScale]: {
        Type: 'Task',
        Comment: "Every live instance's state and outputs; dependent nodes' inputs get the new values (a multi-valued source lists every instance).",
        Resource: taskResource('CheckInstances'),
        Parameters: { 'runId.$': '$.runId', 'pollSeconds.$': '$.scale.pollSeconds', 'pollsBefore.$': '$.scale.pollsBefore' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: cloudTaskRetries,
        Catch: toRollback,
        ResultPath: '$.boot',
        Next: SCALE.isScaleReady,
      },
      [SCALE.isScaleReady]: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.boot.ready', BooleanEquals: true, Next: SCALE.endScale },
          { Variable: '$.boot.polls', NumericGreaterThanEqualsPath: '$.scale.maxPolls', Next: SCALE.scaleDeadlinePassed },
        ],
        Default: SCALE.waitBeforeNextScaleCheck,
      },
      [SCALE.scaleDeadlinePassed]: {
        Type: 'Pass',
        Result: { Error: DOMAIN_ERROR.bootTimeout, Cause: 'The added VMs were not all ready before the boot deadline.' },
        ResultPath: '$.error',
        Next: SCALE.rollBackScale,
      },
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
      [SCALE.rollBackScale]: terminateEach(
        { each: SCALE.undoInstance, failure: SCALE.recordUndoFailure },
        'Roll back: terminate the instances this scale added.',
        '$.scale.add',
        SCALE.abandonScale,
      ),
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
