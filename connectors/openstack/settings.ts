/**
 * What an admin may set on an `openstack` connector and what a user puts in a
 * credential. The schemas are the one source of validation and of the types;
 * field names are fixed by the product contract.
 */
import * as z from 'zod';
import type { ConnectorKindInfo } from '#connectors/contract';

export const openstackSettingsSchema = z.strictObject({
  /** Neutron network the VMs attach to; without it Nova picks the project's only network. */
  networkId: z.string().min(1).max(255).optional(),
  /** Nova availability zone to boot in; without it the scheduler chooses. */
  availabilityZone: z.string().min(1).max(255).optional(),
  /** Nova key pair injected into every VM. */
  keyName: z.string().min(1).max(255).optional(),
  /** Security group names applied to every VM; without them the project's `default` group applies. */
  securityGroups: z.array(z.string().min(1).max(255)).max(50).optional(),
  /** Requests per second this connector may send per credential (enforced by the rate budget). */
  requestsPerSecond: z.number().positive().max(1000).optional(),
});

export type OpenstackSettings = z.output<typeof openstackSettingsSchema>;

/** Keystone v3 password credentials, scoped to a project by name. */
export const openstackSecretsSchema = z.strictObject({
  username: z.string().min(1).max(255),
  password: z.string().min(1).max(4096),
  projectName: z.string().min(1).max(255),
  /** @default "Default" */
  userDomainName: z.string().min(1).max(255).default('Default'),
  /** @default "Default" */
  projectDomainName: z.string().min(1).max(255).default('Default'),
});

export type OpenstackSecrets = z.output<typeof openstackSecretsSchema>;

/**
 * Seconds between boot polls. Nova usually takes a few seconds to tens of
 * seconds to schedule and spawn a server, and each poll is one bulk list call,
 * so 3 s notices a VM soon after it runs without flooding the API.
 */
export const OPENSTACK_POLL_SECONDS = 3;

export function openstackPollSeconds(): number {
  return OPENSTACK_POLL_SECONDS;
}

/** The `openstack` kind as the API knows it (its client code is in `openstack-kind.ts`). */
export const openstackKindInfo: ConnectorKindInfo = {
  kind: 'openstack',
  settingsSchema: openstackSettingsSchema,
  secretsSchema: openstackSecretsSchema,
  pollSeconds: openstackPollSeconds,
};
