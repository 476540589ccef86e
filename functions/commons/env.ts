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
  /** ARN of the scale state machine (a Ready run's node scaled out or in). */
  scaleStateMachineArn: 'SLIPWAY_SCALE_STATE_MACHINE_ARN',
  /** ARN of the migrate state machine (a Ready run re-deployed on other clouds). */
  migrateStateMachineArn: 'SLIPWAY_MIGRATE_STATE_MACHINE_ARN',
  /** ARN of the order state machine. */
  orderStateMachineArn: 'SLIPWAY_ORDER_STATE_MACHINE_ARN',
  /** ARN of the image build state machine. */
  buildStateMachineArn: 'SLIPWAY_BUILD_STATE_MACHINE_ARN',
  /** The wait before an order's first launch retry, in seconds (the second waits twice as long). @default 30 */
  orderRetryBaseSeconds: 'SLIPWAY_ORDER_RETRY_BASE_SECONDS',
  /** Where credential secrets are sealed: `kms:<key id or arn>` or `file:<path to a 32-byte key>`. */
  secretsKey: 'SLIPWAY_SECRETS_KEY',
  /** Public base URL of the API, put in VMs' boot data for their callbacks. */
  apiUrl: 'SLIPWAY_API_URL',
  /** The EventBridge bus Slipway publishes its events on (the events publisher). */
  eventBus: 'SLIPWAY_EVENT_BUS',
  /** `1`: webhooks may point to 127.0.0.1, [::1] or localhost, also over http:// (the local stack sets it; never in AWS). */
  webhooksAllowLoopback: 'SLIPWAY_WEBHOOKS_ALLOW_LOOPBACK',
  /** The wait after a webhook delivery's first failed attempt, in ms (each later one 3× longer). @default 30000 */
  webhookRetryBaseMs: 'SLIPWAY_WEBHOOK_RETRY_BASE_MS',
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
  /** Starts order executions: the order state machine's ARN. */
  orders?: boolean;
  /** Starts migrate executions: the migrate state machine's ARN. */
  migrations?: boolean;
  /** Starts image build executions: the build state machine's ARN. */
  builds?: boolean;
  /** Looks at scale executions: the scale state machine's ARN. */
  scales?: boolean;
}

/** The configuration a function checked at cold start; absent values were not needed. */
export interface Config {
  table: string;
  deployStateMachineArn?: string;
  terminateStateMachineArn?: string;
  scaleStateMachineArn?: string;
  migrateStateMachineArn?: string;
  orderStateMachineArn?: string;
  buildStateMachineArn?: string;
  secretsKey?: string;
}

/**
 * Reads the variables a function needs, once.
 * @throws Error naming every missing variable at once, so one failed deploy shows them all
 */
export function readConfig(needs: ConfigNeeds, env: NodeJS.ProcessEnv = process.env): Config {
  const wanted: EnvName[] = [
    ENV.table,
    ...(needs.executions ? [ENV.deployStateMachineArn, ENV.terminateStateMachineArn, ENV.scaleStateMachineArn] : []),
    ...(needs.secrets ? [ENV.secretsKey] : []),
    ...(needs.orders ? [ENV.orderStateMachineArn] : []),
    ...(needs.migrations ? [ENV.migrateStateMachineArn] : []),
    ...(needs.builds ? [ENV.buildStateMachineArn] : []),
    ...(needs.scales && !needs.executions ? [ENV.scaleStateMachineArn] : []),
  ];
  const missing = wanted.filter((name) => !env[name]);
  if (missing.length) throw new Error(`Environment variable(s) not set: ${missing.join(', ')}`);
  return {
    table: env[ENV.table]!,
    ...(needs.executions
      ? {
          deployStateMachineArn: env[ENV.deployStateMachineArn],
          terminateStateMachineArn: env[ENV.terminateStateMachineArn],
          scaleStateMachineArn: env[ENV.scaleStateMachineArn],
        }
      : {}),
    ...(needs.secrets ? { secretsKey: env[ENV.secretsKey] } : {}),
    ...(needs.orders ? { orderStateMachineArn: env[ENV.orderStateMachineArn] } : {}),
    ...(needs.migrations ? { migrateStateMachineArn: env[ENV.migrateStateMachineArn] } : {}),
    ...(needs.builds ? { buildStateMachineArn: env[ENV.buildStateMachineArn] } : {}),
    ...(needs.scales ? { scaleStateMachineArn: env[ENV.scaleStateMachineArn] } : {}),
  };
}
