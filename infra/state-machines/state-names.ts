/**
 * State names of the deploy, terminate and order state machines: what an operator reads
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

/** The scale state machine's states: add or remove instances of one node of a Ready run, or roll the scale back. */
export const SCALE = {
  beginScale: 'BeginScale',
  removeInstances: 'RemoveInstances',
  removeInstance: 'RemoveInstance',
  recordRemoveFailure: 'RecordRemoveFailure',
  addInstances: 'AddInstances',
  addInstance: 'AddInstance',
  waitForScaleBoot: 'WaitForScaleBoot',
  waitBeforeNextScaleCheck: 'WaitBeforeNextScaleCheck',
  checkScale: 'CheckScale',
  isScaleReady: 'IsScaleReady',
  scaleDeadlinePassed: 'ScaleDeadlinePassed',
  endScale: 'EndScale',
  rollBackScale: 'RollBackScale',
  undoInstance: 'UndoInstance',
  recordUndoFailure: 'RecordUndoFailure',
  abandonScale: 'AbandonScale',
  scaleRolledBack: 'ScaleRolledBack',
} as const;

/** The migrate state machine's states: wait for the new run, then switch (terminate the old run) or give up (tear the new one down). */
export const MIGRATE = {
  startMigration: 'StartMigration',
  waitForNewRun: 'WaitForNewRun',
  checkMigration: 'CheckMigration',
  isMigrationSettled: 'IsMigrationSettled',
  migrated: 'Migrated',
  migrationFailed: 'MigrationFailed',
} as const;

/** The order state machine's states: launch the customer's run, wait for it, retry a failed one, settle the order. */
export const ORDER = {
  launchRun: 'LaunchRun',
  waitForRun: 'WaitForRun',
  checkRun: 'CheckRun',
  isOrderSettled: 'IsOrderSettled',
  waitBeforeRetry: 'WaitBeforeRetry',
  orderActive: 'OrderActive',
  orderClosed: 'OrderClosed',
  failOrder: 'FailOrder',
  orderFailed: 'OrderFailed',
} as const;

/** The image build state machine's states: builder VM, recipe, snapshot, new image version; every outcome ends in TerminateBuilder. */
export const BUILD = {
  launchBuilder: 'LaunchBuilder',
  waitForBuilder: 'WaitForBuilder',
  checkBuilder: 'CheckBuilder',
  isBuilderDone: 'IsBuilderDone',
  snapshotBuilder: 'SnapshotBuilder',
  waitForImage: 'WaitForImage',
  checkBuiltImage: 'CheckBuiltImage',
  isImageAvailable: 'IsImageAvailable',
  recordBuiltImage: 'RecordBuiltImage',
  recordBuildFailure: 'RecordBuildFailure',
  terminateBuilder: 'TerminateBuilder',
  isBuildSucceeded: 'IsBuildSucceeded',
  buildSucceeded: 'BuildSucceeded',
  buildFailed: 'BuildFailed',
} as const;

export const STATE_MACHINES = {
  deploy: 'slipway-deploy-run',
  terminate: 'slipway-terminate-run',
  scale: 'slipway-scale-run',
  migrate: 'slipway-migrate-run',
  order: 'slipway-order',
  build: 'slipway-build',
} as const;
