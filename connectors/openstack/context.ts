import type { RateBudget } from '#connectors/contract';
import type { OpenstackSecrets, OpenstackSettings } from './settings';

/** Waits a test may shorten; the defaults suit a real cloud. */
export interface OpenstackTuning {
  /** How long createImage waits for the server to stop before answering NotReadyYetError. @default 30000 */
  stopWaitMs: number;
  /** Waits between looks at a stopping server. @default 1000 */
  pollMs: number;
}

export const DEFAULT_OPENSTACK_TUNING: OpenstackTuning = { stopWaitMs: 30_000, pollMs: 1000 };

/** What every OpenStack operation works with: one credential on one connector. */
export interface OpenstackContext {
  /** The connector instance's name, for messages. */
  connector: string;
  /** The Keystone v3 URL, e.g. `https://keystone.example:5000/v3`. */
  endpoint: string;
  /** Catalog region to use; without it the first public endpoint of each service is taken. */
  region?: string;
  credentialId: string;
  secrets: OpenstackSecrets;
  settings: OpenstackSettings;
  budget?: RateBudget;
  now: () => Date;
  tuning: OpenstackTuning;
}

/** "region RegionOne of openstack connector os-1", for messages. */
export function where(ctx: OpenstackContext): string {
  return `${ctx.region ? `region ${ctx.region} of ` : ''}openstack connector ${ctx.connector}`;
}
