/**
 * What an admin may set on a `cloudstack` connector and what a user's credential
 * holds. The schemas are the one source of validation and of the types.
 */
import * as z from 'zod';
import type { ConnectorKindInfo } from '#connectors/contract';

/** CloudStack ids are UUIDs on current clouds (Exoscale included). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const cloudstackSettingsSchema = z
  .strictObject({
    /** Networks the VMs join (`networkids`); the zone's default network when absent. */
    networkIds: z.array(z.string().min(1)).min(1).optional(),
    /** Security groups, all by id or all by name (CloudStack refuses a mix). */
    securityGroups: z.array(z.string().min(1)).min(1).optional(),
    /** SSH key pair name registered in the account. */
    keyPair: z.string().min(1).optional(),
    /** Requests per second per credential; Slipway's shared budget (deps.budget) enforces it. @default unlimited */
    requestsPerSecond: z.number().positive().max(1000).optional(),
  })
  .refine((s) => !s.securityGroups || new Set(s.securityGroups.map((g) => UUID.test(g))).size === 1, {
    path: ['securityGroups'],
    message: 'give every security group by id or every one by name, not a mix',
  });

export type CloudStackSettings = z.output<typeof cloudstackSettingsSchema>;

/** The security group parameter to send: ids when the admin gave ids, names otherwise. */
export function securityGroupParams(settings: CloudStackSettings): Record<string, string> {
  const groups = settings.securityGroups;
  if (!groups) return {};
  return UUID.test(groups[0]!) ? { securitygroupids: groups.join(',') } : { securitygroupnames: groups.join(',') };
}

/** An API key pair, as CloudStack and Exoscale issue them. */
export const cloudstackSecretsSchema = z.strictObject({
  apiKey: z.string().min(1),
  secretKey: z.string().min(1),
});

export type CloudStackSecrets = z.output<typeof cloudstackSecretsSchema>;

/**
 * Seconds between boot polls. A CloudStack VM takes tens of seconds to boot; every
 * 3 s sees it running soon after without wasting API calls (one bulk list per poll).
 */
export const CLOUDSTACK_POLL_SECONDS = 3;

/** The `cloudstack` kind as the API knows it (its client code is in `cloudstack-kind.ts`). */
export const cloudstackKindInfo: ConnectorKindInfo = {
  kind: 'cloudstack',
  settingsSchema: cloudstackSettingsSchema,
  secretsSchema: cloudstackSecretsSchema,
  pollSeconds: () => CLOUDSTACK_POLL_SECONDS,
};
