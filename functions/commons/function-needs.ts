/**
 * What each Lambda function needs beyond the table, by function name: read by the
 * CDK stack (IAM grants and environment, least privilege) and by `depsFor` (which
 * variables to check at cold start).
 */
export const NEEDS = {
  /** Functions that start or stop state machine executions. */
  startsExecutions: ['runs', 'expiry'] as const,
  /** Functions that read or write credential secrets. */
  usesSecrets: ['credentials', 'connectors', 'CreateInstance', 'CheckInstances', 'TerminateInstance', 'FinalizeRun', 'monitor'] as const,
};
