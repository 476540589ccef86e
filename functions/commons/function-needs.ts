/**
 * What each Lambda function needs beyond the table, by function name: read by the
 * CDK stack (IAM grants and environment, least privilege) and by `depsFor` (which
 * variables to check at cold start).
 */
export const NEEDS = {
  /** Functions that start or stop state machine executions. */
  startsExecutions: ['runs', 'expiry', 'orders', 'LaunchOrderRun', 'CheckOrderRun', 'CheckMigration'] as const,
  /** Functions that start order executions (and so know the order state machine's ARN). */
  startsOrders: ['orders'] as const,
  /** Functions that start migrate executions (and so know the migrate state machine's ARN). */
  startsMigrations: ['runs'] as const,
  /** Functions that start image build executions (and so know the build state machine's ARN). */
  startsBuilds: ['images'] as const,
  /** Functions that only look at image build and scale executions (and so know those state machines' ARNs). */
  watchesBuilds: ['executionSweep'] as const,
  watchesScales: ['executionSweep'] as const,
  /** Functions that read or write credential or webhook secrets. */
  usesSecrets: [
    'credentials',
    'connectors',
    'CreateInstance',
    'CheckInstances',
    'TerminateInstance',
    'FinalizeRun',
    'monitor',
    'webhooks',
    'deliverWebhooks',
    'redeliver',
    'LaunchBuilder',
    'CheckBuilder',
    'SnapshotBuilder',
    'CheckBuiltImage',
    'RecordBuildFailure',
    'TerminateBuilder',
    'executionSweep',
  ] as const,
};
