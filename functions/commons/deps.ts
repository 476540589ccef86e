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
    apiUrl: () => string | undefined;
  };
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
  return () =>
    (deps ??= {
      table: tableClient(config.table),
      sfn: sfnClient(),
      cipher: config.secretsKey ? () => (cipher ??= cipherFromSpec(config.secretsKey!)) : notConfigured(ENV.secretsKey),
      now: () => new Date(),
      config: {
        deployStateMachineArn: config.deployStateMachineArn ? () => config.deployStateMachineArn! : notConfigured(ENV.deployStateMachineArn),
        terminateStateMachineArn: config.terminateStateMachineArn ? () => config.terminateStateMachineArn! : notConfigured(ENV.terminateStateMachineArn),
        apiUrl: () => (apiUrl ??= { value: process.env[ENV.apiUrl] || undefined }).value,
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
    secretsKey: process.env[ENV.secretsKey] || undefined,
  });
  return shared();
}
