/**
 * The deploy state machine: Initializing → Provisioning → Executing → Ready,
 * any failure caught into the shared teardown (→ Aborted). Input: `{ runId }`.
 * Each state costs a transition: InitializeRun also reserves the quota and moves
 * the run to Provisioning, and one Map level covers every connector.
 * VM monitoring after Ready is the monitor schedule's job, not a loop here.
 */
import { bootLoopStates } from './boot-loop';
import { createEachMap } from './instance-maps';
import { DEPLOY, TEARDOWN } from './state-names';
import { taskResource } from './task-functions';
import { plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';
import { teardownStates } from './teardown';

const runIdOnly = { 'runId.$': '$.runId' };
const toTeardown = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: DEPLOY.recordFailure }];

const setRunState = (state: string, next: string | null) => ({
  Type: 'Task',
  Resource: taskResource('SetRunState'),
  Parameters: { ...runIdOnly, state },
  TimeoutSeconds: TASK_TIMEOUT_SECONDS,
  Retry: plainTaskRetries,
  Catch: toTeardown,
  ResultPath: null,
  ...(next ? { Next: next } : { End: true }),
});

/** Upper bound of a whole deployment; the boot loop has its own, shorter, deadline. */
export const DEPLOY_TIMEOUT_SECONDS = 2 * 60 * 60;

export function deployRunDefinition() {
  return {
    Comment: 'Slipway: deploy a run (execution name = run id).',
    TimeoutSeconds: DEPLOY_TIMEOUT_SECONDS,
    StartAt: DEPLOY.initializeRun,
    States: {
      [DEPLOY.initializeRun]: {
        Type: 'Task',
        Comment: "Validate, resolve images and native ids, record the instances' intents, reserve the quota, move to Provisioning.",
        Resource: taskResource('InitializeRun'),
        Parameters: runIdOnly,
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: plainTaskRetries,
        Catch: toTeardown,
        ResultPath: '$.plan',
        Next: DEPLOY.createInstances,
      },
      [DEPLOY.createInstances]: createEachMap({
        name: DEPLOY.createInstance,
        comment: 'Every instance, at most the smallest maxIaasWorkers of the connectors used at once.',
        itemsPath: '$.plan.instances',
        concurrencyPath: '$.plan.maxIaasWorkers',
        next: DEPLOY.startExecuting,
        catchTo: toTeardown,
      }),
      [DEPLOY.startExecuting]: setRunState('Executing', DEPLOY.waitForBoot),
      ...bootLoopStates({
        names: {
          firstWait: DEPLOY.waitForBoot,
          nextWait: DEPLOY.waitBeforeNextCheck,
          check: DEPLOY.checkInstances,
          isReady: DEPLOY.isEveryInstanceReady,
          deadlinePassed: DEPLOY.bootDeadlinePassed,
        },
        planPath: '$.plan',
        comments: {
          firstWait: "First look after the connector's usual boot time.",
          nextWait: 'Each later look comes a quarter of the elapsed time later, at most 40 s (CheckInstances says how long).',
          check: 'One bulk list per connector: record states and published outputs, hand inputs to dependent nodes.',
        },
        checkParameters: { ...runIdOnly, 'pollSeconds.$': '$.plan.pollSeconds' },
        catchTo: toTeardown,
        onReady: DEPLOY.markReady,
        onDeadline: DEPLOY.recordFailure,
        deadlineCause: 'The VMs were not all ready before the boot deadline.',
      }),
      [DEPLOY.markReady]: setRunState('Ready', null),
      [DEPLOY.recordFailure]: {
        Type: 'Task',
        Comment: 'Record the abortReason and move the run to Finalizing.',
        Resource: taskResource('BeginFinalizing'),
        Parameters: { ...runIdOnly, 'error.$': '$.error' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: plainTaskRetries,
        ResultPath: '$.teardown',
        Next: TEARDOWN.terminateInstances,
      },
      ...teardownStates(),
    },
  };
}
