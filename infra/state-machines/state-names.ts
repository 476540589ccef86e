/**
 * State names of the deploy and terminate state machines: what an operator reads
 * in the console, what tests assert, what the definitions are built from.
 */
export const DEPLOY = {
  initializeRun: 'InitializeRun',
  createInstances: 'CreateInstances',
  createInstance: 'CreateInstance',
  startExecuting: 'StartExecuting',
  waitForBoot: 'WaitForBoot',
  waitBeforeNextCheck: 'WaitBeforeNextCheck',
  checkInstances: 'CheckInstances',
  isEveryInstanceReady: 'IsEveryInstanceReady',
  bootDeadlinePassed: 'BootDeadlinePassed',
  markReady: 'MarkReady',
  recordFailure: 'RecordFailure',
} as const;

/** The teardown states, shared by the deploy machine's failure path and the terminate machine. */
export const TEARDOWN = {
  beginFinalizing: 'BeginFinalizing',
  terminateInstances: 'TerminateInstances',
  terminateInstance: 'TerminateInstance',
  recordTerminateFailure: 'RecordTerminateFailure',
  finalizeRun: 'FinalizeRun',
} as const;

export const STATE_MACHINES = {
  deploy: 'slipway-deploy-run',
  terminate: 'slipway-terminate-run',
} as const;
