/**
 * The deploy state machine: Initializing → Provisioning → Executing → Ready,
 * any failure caught into the shared teardown (→ Aborted). Input: `{ runId }`.
 * Each state costs a transition: InitializeRun also reserves the quota and moves
 * the run to Provisioning, and one Map level covers every connector.
 * VM monitoring after Ready is the monitor schedule's job, not a loop here.
 */
import { DOMAIN_ERROR } from '#functions/domain/errors';
import { DEPLOY, TEARDOWN } from './state-names';
import { taskResource } from './task-functions';
import { cloudTaskRetries, plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';
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
      [DEPLOY.createInstances]: {
        Type: 'Map',
        Comment: 'Every instance, at most the smallest maxIaasWorkers of the connectors used at once.',
        ItemsPath: '$.plan.instances',
        MaxConcurrencyPath: '$.plan.maxIaasWorkers',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: DEPLOY.createInstance,
          States: {
            [DEPLOY.createInstance]: {
              Type: 'Task',
              Resource: taskResource('CreateInstance'),
              TimeoutSeconds: TASK_TIMEOUT_SECONDS,
              Retry: cloudTaskRetries,
              ResultPath: null,
              End: true,
            },
          },
        },
        Catch: toTeardown,
        ResultPath: null,
        Next: DEPLOY.startExecuting,
      },
      [DEPLOY.startExecuting]: setRunState('Executing', DEPLOY.waitForBoot),
      [DEPLOY.waitForBoot]: {
        Type: 'Wait',
        Comment: "First look after the connector's usual boot time.",
        SecondsPath: '$.plan.pollSeconds',
        Next: DEPLOY.checkInstances,
      },
      [DEPLOY.waitBeforeNextCheck]: {
        Type: 'Wait',
        Comment: 'Each later look comes a quarter of the elapsed time later, at most 40 s (CheckInstances says how long).',
        SecondsPath: '$.boot.waitSeconds',
        Next: DEPLOY.checkInstances,
      },
      [DEPLOY.checkInstances]: {
        Type: 'Task',
        Comment: 'One bulk list per connector: record states and published outputs, hand inputs to dependent nodes.',
        Resource: taskResource('CheckInstances'),
        Parameters: { ...runIdOnly, 'pollSeconds.$': '$.plan.pollSeconds' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: cloudTaskRetries,
        Catch: toTeardown,
        ResultPath: '$.boot',
        Next: DEPLOY.isEveryInstanceReady,
      },
      [DEPLOY.isEveryInstanceReady]: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.boot.ready', BooleanEquals: true, Next: DEPLOY.markReady },
          { Variable: '$.boot.polls', NumericGreaterThanEqualsPath: '$.plan.maxPolls', Next: DEPLOY.bootDeadlinePassed },
        ],
        Default: DEPLOY.waitBeforeNextCheck,
      },
      [DEPLOY.bootDeadlinePassed]: {
        Type: 'Pass',
        Result: { Error: DOMAIN_ERROR.bootTimeout, Cause: 'The VMs were not all ready before the boot deadline.' },
        ResultPath: '$.error',
        Next: DEPLOY.recordFailure,
      },
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
