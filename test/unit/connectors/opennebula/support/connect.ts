/** Opens the `opennebula` kind against a recorded oned, as the steps open it. */
import type { Connector, ConnectorDeps } from '#connectors/contract';
import type { OpennebulaTuning } from '#connectors/opennebula/context';
import { openOpennebula } from '#connectors/opennebula/opennebula-kind';

export const CREDENTIAL_ID = 'cred-one-1';
export const USERNAME = 'alice';
export const PASSWORD = 's3cret-Pa55';
export const SESSION = `${USERNAME}:${PASSWORD}`;

export function connect(
  url: string,
  settings: Record<string, unknown> = {},
  deps: Partial<ConnectorDeps> = {},
  tuning: Partial<OpennebulaTuning> = {},
): Connector {
  return openOpennebula(
    {
      config: {
        name: 'one-test',
        kind: 'opennebula',
        endpoint: url,
        maxIaasWorkers: 2,
        defaultQuotaVms: 10,
        settings,
      },
      credentialId: CREDENTIAL_ID,
      secrets: { username: USERNAME, password: PASSWORD },
    },
    { now: () => new Date(), ...deps },
    { pollMs: 20, ...tuning },
  );
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
