/**
 * Environment variable names: shared by the CDK stack (which sets them), the local
 * runner (which sets them for its process) and the handlers (which read them).
 */
export const ENV = {
  /** The DynamoDB table name. */
  table: 'SLIPWAY_TABLE',
  /** ARN of the deploy state machine. */
  deployStateMachineArn: 'SLIPWAY_DEPLOY_STATE_MACHINE_ARN',
  /** ARN of the terminate state machine. */
  terminateStateMachineArn: 'SLIPWAY_TERMINATE_STATE_MACHINE_ARN',
  /** Where credential secrets are sealed: `kms:<key id or arn>` or `file:<path to a 32-byte key>`. */
  secretsKey: 'SLIPWAY_SECRETS_KEY',
  /** Public base URL of the API, put in VMs' boot data for their callbacks. */
  apiUrl: 'SLIPWAY_API_URL',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Reads a required variable, failing fast with its name when it is missing. */
export function requireEnv(name: EnvName, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`Environment variable ${name} is not set`);
  return value;
}
