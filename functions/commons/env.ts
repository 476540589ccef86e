/**
 * Environment variable names: shared by the CDK stack (which sets them), the local
 * runner (which sets them for its process) and the handlers (which read them once,
 * at cold start, through `readConfig`).
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
  /**
   * Powertools' own switch (read by the package, not by Slipway): `true` stops the
   * metrics' EMF lines, for processes where no CloudWatch reads stdout (local, tests).
   */
  metricsDisabled: 'POWERTOOLS_METRICS_DISABLED',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Reads a required variable, failing fast with its name when it is missing. */
export function requireEnv(name: EnvName, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`Environment variable ${name} is not set`);
  return value;
}

/** What a function needs besides the table (from `NEEDS` in the route table). */
export interface ConfigNeeds {
  /** Starts or stops state machine executions: both ARNs. */
  executions?: boolean;
  /** Seals or opens credential secrets: the secrets key. */
  secrets?: boolean;
}

/** The configuration a function checked at cold start; absent values were not needed. */
export interface Config {
  table: string;
  deployStateMachineArn?: string;
  terminateStateMachineArn?: string;
  secretsKey?: string;
}

/**
 * Reads the variables a function needs, once.
 * @throws Error naming every missing variable at once, so one failed deploy shows them all
 */
export function readConfig(needs: ConfigNeeds, env: NodeJS.ProcessEnv = process.env): Config {
  const wanted: EnvName[] = [
    ENV.table,
    ...(needs.executions ? [ENV.deployStateMachineArn, ENV.terminateStateMachineArn] : []),
    ...(needs.secrets ? [ENV.secretsKey] : []),
  ];
  const missing = wanted.filter((name) => !env[name]);
  if (missing.length) throw new Error(`Environment variable(s) not set: ${missing.join(', ')}`);
  return {
    table: env[ENV.table]!,
    ...(needs.executions ? { deployStateMachineArn: env[ENV.deployStateMachineArn], terminateStateMachineArn: env[ENV.terminateStateMachineArn] } : {}),
    ...(needs.secrets ? { secretsKey: env[ENV.secretsKey] } : {}),
  };
}
