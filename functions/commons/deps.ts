/**
 * What handlers need from the outside world. `depsFor(name)` reads and checks the
 * function's environment when it is called (at cold start, from the entry file), so
 * a missing state machine ARN fails the function's start, not its first request;
 * the clients themselves are built at first use. Tests and the local runner get
 * the same thing: only the SDK endpoints differ, and the SDK reads those itself.
 */
import { NEEDS } from '#functions/commons/function-needs';
import type { TableClient } from '#functions/store/table-client';
import { sfnClient, tableClient, type SfnSender } from './clients';
import { ENV, readConfig, type Config } from './env';
import { DELIVERY } from '#functions/domain/events';
import { DEFAULT_ORDER_RETRY_BASE_SECONDS } from '#functions/domain/orders';
import { cipherFromSpec, type SecretCipher } from './secret-cipher';

export interface AppDeps {
  table: TableClient;
  sfn: SfnSender;
  /** Lazy: only functions that touch secrets have a key configured. */
  cipher: () => SecretCipher;
  now: () => Date;
  config: {
    deployStateMachineArn: () => string;
    terminateStateMachineArn: () => string;
    scaleStateMachineArn: () => string;
    migrateStateMachineArn: () => string;
    orderStateMachineArn: () => string;
    buildStateMachineArn: () => string;
    apiUrl: () => string | undefined;
    /** Where webhooks may point and how soon a failed delivery is tried again (read at first use). */
    webhooks: () => WebhookSettings;
    /** How an order's failed launches are retried (read at first use). */
    orders: () => OrderSettings;
  };
}

export interface OrderSettings {
  /** The wait before an order's first launch retry, in seconds; the next one waits twice as long (`SLIPWAY_ORDER_RETRY_BASE_SECONDS`). */
  retryBaseSeconds: number;
}

/** The order settings of `env`: the retry base a positive number of seconds, or the default. */
export function orderSettings(env: NodeJS.ProcessEnv = process.env): OrderSettings {
  const base = Number(env[ENV.orderRetryBaseSeconds]);
  return { retryBaseSeconds: Number.isFinite(base) && base > 0 ? base : DEFAULT_ORDER_RETRY_BASE_SECONDS };
}

export interface WebhookSettings {
  /** Loopback targets allowed (`SLIPWAY_WEBHOOKS_ALLOW_LOOPBACK=1`: the local stack). */
  allowLoopback: boolean;
  /** The wait after a first failed attempt (`SLIPWAY_WEBHOOK_RETRY_BASE_MS`). */
  retryBaseMs: number;
}

/** The webhook settings of `env`: loopback only when asked for, the retry base a positive number or the default. */
export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const base = Number(env[ENV.webhookRetryBaseMs]);
  return { allowLoopback: env[ENV.webhooksAllowLoopback] === '1', retryBaseMs: Number.isFinite(base) && base > 0 ? base : DELIVERY.baseDelayMs };
}

const notConfigured = (what: string) => (): never => {
  throw new Error(`${what} is not configured for this function (see NEEDS in functions/http/route-table.ts)`);
};

/** Deps over a checked configuration; clients and the cipher are made at first use. */
export function depsFrom(config: Config): () => AppDeps {
  let deps: AppDeps | undefined;
  let cipher: SecretCipher | undefined;
  // Set by the local runner once its port is known, after the handlers are loaded: read at first use.
  let apiUrl: { value: string | undefined } | undefined;
  let webhooks: WebhookSettings | undefined;
  let orders: OrderSettings | undefined;
  return () =>
    (deps ??= {
      table: tableClient(config.table),
      sfn: sfnClient(),
      cipher: config.secretsKey ? () => (cipher ??= cipherFromSpec(config.secretsKey!)) : notConfigured(ENV.secretsKey),
      now: () => new Date(),
      config: {
        deployStateMachineArn: config.deployStateMachineArn ? () => config.deployStateMachineArn! : notConfigured(ENV.deployStateMachineArn),
        terminateStateMachineArn: config.terminateStateMachineArn ? () => config.terminateStateMachineArn! : notConfigured(ENV.terminateStateMachineArn),
        scaleStateMachineArn: config.scaleStateMachineArn ? () => config.scaleStateMachineArn! : notConfigured(ENV.scaleStateMachineArn),
        migrateStateMachineArn: config.migrateStateMachineArn ? () => config.migrateStateMachineArn! : notConfigured(ENV.migrateStateMachineArn),
        orderStateMachineArn: config.orderStateMachineArn ? () => config.orderStateMachineArn! : notConfigured(ENV.orderStateMachineArn),
        buildStateMachineArn: config.buildStateMachineArn ? () => config.buildStateMachineArn! : notConfigured(ENV.buildStateMachineArn),
        apiUrl: () => (apiUrl ??= { value: process.env[ENV.apiUrl] || undefined }).value,
        webhooks: () => (webhooks ??= webhookSettings()),
        orders: () => (orders ??= orderSettings()),
      },
    });
}

/**
 * The deps of the function `name` (a key of `HTTP_FUNCTIONS`, `TASK_FUNCTIONS` or
 * `SCHEDULES`), with the variables `NEEDS` says it uses read and checked now.
 * @throws Error naming every missing variable
 */
export function depsFor(name: string): () => AppDeps {
  const needs = {
    executions: (NEEDS.startsExecutions as readonly string[]).includes(name),
    secrets: (NEEDS.usesSecrets as readonly string[]).includes(name),
    orders: (NEEDS.startsOrders as readonly string[]).includes(name),
    migrations: (NEEDS.startsMigrations as readonly string[]).includes(name),
    builds: [...NEEDS.startsBuilds, ...NEEDS.watchesBuilds].includes(name as never),
    scales: (NEEDS.watchesScales as readonly string[]).includes(name),
  };
  return depsFrom(readConfig(needs));
}

let shared: (() => AppDeps) | undefined;

/**
 * Deps for code that has not declared what it needs: every variable that is set,
 * checked at first use (the table is required).
 */
export function appDeps(): AppDeps {
  shared ??= depsFrom({
    ...readConfig({}),
    deployStateMachineArn: process.env[ENV.deployStateMachineArn] || undefined,
    terminateStateMachineArn: process.env[ENV.terminateStateMachineArn] || undefined,
    scaleStateMachineArn: process.env[ENV.scaleStateMachineArn] || undefined,
    migrateStateMachineArn: process.env[ENV.migrateStateMachineArn] || undefined,
    orderStateMachineArn: process.env[ENV.orderStateMachineArn] || undefined,
    buildStateMachineArn: process.env[ENV.buildStateMachineArn] || undefined,
    secretsKey: process.env[ENV.secretsKey] || undefined,
  });
  return shared();
}
