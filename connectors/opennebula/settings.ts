/**
 * What an admin may set on an `opennebula` connector and what a credential holds.
 * The schemas are the one source of validation and of the types.
 */
import * as z from 'zod';
import type { ConnectorKindInfo } from '#connectors/contract';

export const opennebulaSettingsSchema = z.strictObject({
  /** Virtual network every VM gets a NIC on; without it the VM has no NIC from Slipway (the image's own setup decides). */
  networkId: z.int().min(0).optional(),
  /**
   * The request rate this OpenNebula front-end tolerates. oned documents no limit of
   * its own; the shared rate budget (`ConnectorDeps.budget`) is built from it.
   */
  requestsPerSecond: z.number().positive().max(1000).optional(),
});

export type OpennebulaSettings = z.output<typeof opennebulaSettingsSchema>;

/** oned's core auth driver takes `username:password` as the session string. */
export const opennebulaSecretsSchema = z.strictObject({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
});

export type OpennebulaSecrets = z.output<typeof opennebulaSecretsSchema>;

/**
 * Seconds between boot polls. OpenNebula VMs go PENDING → PROLOG → BOOT → RUNNING
 * over tens of seconds (image copy, scheduler cycle); each poll is one pool call,
 * so 4 s sees a VM running at most 4 s late without loading oned.
 */
export function opennebulaPollSeconds(): number {
  return 4;
}

/** The `opennebula` kind as the API knows it (its client code is in `opennebula-kind.ts`). */
export const opennebulaKindInfo: ConnectorKindInfo = {
  kind: 'opennebula',
  settingsSchema: opennebulaSettingsSchema,
  secretsSchema: opennebulaSecretsSchema,
  pollSeconds: opennebulaPollSeconds,
};
