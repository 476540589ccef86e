/** Opens the openstack kind on a fixture cloud, with a settable clock and a counting rate budget. */
import type { Connector, RateBudget } from '#connectors/contract';
import type { OpenstackTuning } from '#connectors/openstack/context';
import { openOpenstack } from '#connectors/openstack/openstack-kind';
import { REGION, type FixtureCloud } from './fixture-cloud';

export const CREDENTIAL = 'cred-os-1';
export const PASSWORD = 'pa55-w0rd-never-shown';
/** The recorded token's issue time: a clock set here sees the token as fresh. */
export const ISSUED_AT = new Date('2014-08-10T18:15:57Z');

export interface Opened {
  connector: Connector;
  clock: { now: Date };
  budget: RateBudget & { taken: number };
}

export function openOn(
  cloud: FixtureCloud,
  options: { region?: string; settings?: Record<string, unknown>; credentialId?: string; tuning?: Partial<OpenstackTuning> } = {},
): Opened {
  const clock = { now: ISSUED_AT };
  const budget = {
    taken: 0,
    async take() {
      budget.taken += 1;
    },
    async throttled() {},
  };
  const connector = openOpenstack(
    {
      config: {
        name: 'os-test',
        kind: 'openstack',
        endpoint: cloud.keystoneUrl,
        region: options.region ?? REGION,
        maxIaasWorkers: 2,
        defaultQuotaVms: 10,
        settings: options.settings ?? {},
      },
      credentialId: options.credentialId ?? CREDENTIAL,
      secrets: { username: 'admin', password: PASSWORD, projectName: 'admin' },
    },
    { now: () => clock.now, budget },
    { pollMs: 10, ...options.tuning },
  );
  return { connector, clock, budget };
}
