/**
 * What handlers need from the outside world, built once per process from the
 * environment. Tests and the local runner get the same thing: only the SDK
 * endpoints differ, and the SDK reads those itself.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { sfnClient, tableClient } from './clients';
import { ENV, requireEnv } from './env';
import { cipherFromSpec, type SecretCipher } from './secret-cipher';
import type { TableClient } from '#functions/store/table-client';

export interface AppDeps {
  table: TableClient;
  sfn: SFNClient;
  /** Lazy: only functions that touch secrets have a key configured. */
  cipher: () => SecretCipher;
  now: () => Date;
  config: {
    deployStateMachineArn: () => string;
    terminateStateMachineArn: () => string;
    apiUrl: () => string | undefined;
  };
}

let deps: AppDeps | undefined;
let cipher: SecretCipher | undefined;

export function appDeps(): AppDeps {
  deps ??= {
    table: tableClient(),
    sfn: sfnClient(),
    cipher: () => (cipher ??= cipherFromSpec(requireEnv(ENV.secretsKey))),
    now: () => new Date(),
    config: {
      deployStateMachineArn: () => requireEnv(ENV.deployStateMachineArn),
      terminateStateMachineArn: () => requireEnv(ENV.terminateStateMachineArn),
      apiUrl: () => process.env[ENV.apiUrl],
    },
  };
  return deps;
}
