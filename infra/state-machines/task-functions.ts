/**
 * The Lambda functions behind the state machines' Task states: one per concern.
 * The definitions refer to each as a `${<Name>FunctionArn}` substitution; CDK
 * substitutes the deployed function's ARN and the local runner the same handler.
 */
export const TASK_FUNCTIONS = {
  InitializeRun: 'functions/steps/initialize-run.ts',
  SetRunState: 'functions/steps/set-run-state.ts',
  CreateInstance: 'functions/steps/create-instance.ts',
  CheckInstances: 'functions/steps/check-instances.ts',
  BeginFinalizing: 'functions/steps/begin-finalizing.ts',
  TerminateInstance: 'functions/steps/terminate-instance.ts',
  RecordTerminateFailure: 'functions/steps/record-terminate-failure.ts',
  FinalizeRun: 'functions/steps/finalize-run.ts',
  BeginScale: 'functions/steps/begin-scale.ts',
  FinishScale: 'functions/steps/finish-scale.ts',
  CheckMigration: 'functions/steps/check-migration.ts',
  LaunchOrderRun: 'functions/steps/launch-order-run.ts',
  CheckOrderRun: 'functions/steps/check-order-run.ts',
  FailOrder: 'functions/steps/fail-order.ts',
  LaunchBuilder: 'functions/steps/launch-builder.ts',
  CheckBuilder: 'functions/steps/check-builder.ts',
  SnapshotBuilder: 'functions/steps/snapshot-builder.ts',
  CheckBuiltImage: 'functions/steps/check-built-image.ts',
  RecordBuiltImage: 'functions/steps/record-built-image.ts',
  RecordBuildFailure: 'functions/steps/record-build-failure.ts',
  TerminateBuilder: 'functions/steps/terminate-builder.ts',
} as const;

export type TaskFunctionName = keyof typeof TASK_FUNCTIONS;

/** The substitution variable for a task function, as used in DefinitionSubstitutions. */
export const substitutionVariable = (name: TaskFunctionName) => `${name}FunctionArn`;

/** The `Resource` of a Task state that invokes the function. */
export const taskResource = (name: TaskFunctionName) => `\${${substitutionVariable(name)}}`;
