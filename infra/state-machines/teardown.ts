/**
 * The teardown states shared by both machines: terminate every VM the run
 * created (at most `maxIaasWorkers` at once per connector), release the quota,
 * close the run. A VM that cannot be terminated is recorded on its instance and
 * the run ends Aborted naming it, rather than the machine failing half-way.
 */
import { TEARDOWN } from './state-names';
import { taskResource } from './task-functions';
import { cloudTaskRetries, plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';

const runIdOnly = { 'runId.$': '$.runId' };

/** States from `TerminateInstances` to the end; expects `$.teardown.groups`. */
export function teardownStates() {
  return {
    [TEARDOWN.terminateInstances]: {
      Type: 'Map',
      Comment: 'One branch per connector used by the run.',
      ItemsPath: '$.teardown.groups',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: TEARDOWN.terminateConnectorInstances,
        States: {
          [TEARDOWN.terminateConnectorInstances]: {
            Type: 'Map',
            ItemsPath: '$.instances',
            MaxConcurrencyPath: '$.maxIaasWorkers',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'INLINE' },
              StartAt: TEARDOWN.terminateInstance,
              States: {
                [TEARDOWN.terminateInstance]: {
                  Type: 'Task',
                  Resource: taskResource('TerminateInstance'),
                  TimeoutSeconds: TASK_TIMEOUT_SECONDS,
                  Retry: cloudTaskRetries,
                  Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: TEARDOWN.recordTerminateFailure }],
                  ResultPath: null,
                  End: true,
                },
                [TEARDOWN.recordTerminateFailure]: {
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
            End: true,
          },
        },
      },
      ResultPath: null,
      Next: TEARDOWN.releaseQuota,
    },
    [TEARDOWN.releaseQuota]: {
      Type: 'Task',
      Resource: taskResource('ReleaseQuota'),
      Parameters: runIdOnly,
      TimeoutSeconds: TASK_TIMEOUT_SECONDS,
      Retry: plainTaskRetries,
      ResultPath: null,
      Next: TEARDOWN.finalizeRun,
    },
    [TEARDOWN.finalizeRun]: {
      Type: 'Task',
      Comment: 'Closes usage records and ends the run Done, or Aborted when it failed or a VM could not be terminated.',
      Resource: taskResource('FinalizeRun'),
      Parameters: runIdOnly,
      TimeoutSeconds: TASK_TIMEOUT_SECONDS,
      Retry: plainTaskRetries,
      ResultPath: '$.outcome',
      Next: TEARDOWN.isRunDone,
    },
    [TEARDOWN.isRunDone]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.outcome.state', StringEquals: 'Done', Next: TEARDOWN.runDone }],
      Default: TEARDOWN.runAborted,
    },
    [TEARDOWN.runDone]: { Type: 'Succeed' },
    [TEARDOWN.runAborted]: {
      Type: 'Fail',
      Error: 'RunAborted',
      Cause: 'The run ended Aborted: its abortReason says why.',
    },
  };
}
