/**
 * What an admin may set on a `sim` connector, and the credential it expects.
 * The schemas are the one source of validation and of the types.
 */
import * as z from 'zod';
import type { ConnectorConfig, ConnectorKindInfo } from '#connectors/contract';

/** A fraction between 0 and 1, e.g. a failure rate. */
const rate = z.number().min(0).max(1);

export const simSettingsSchema = z.strictObject({
  /** Seconds a VM stays `pending` before it is `running`. @default 5 */
  bootSeconds: z.number().min(0).default(5),
  /** Share of create attempts that fail with a retryable error. @default 0 */
  transientFailureRate: rate.default(0),
  /** Share of create attempts that fail for good. @default 0 */
  permanentFailureRate: rate.default(0),
  /** Seeds the fault injection, so a scenario replays the same way. @default 1 */
  seed: z.int().default(1),
});

export type SimSettings = z.output<typeof simSettingsSchema>;

/** The simulated cloud wants an API key pair, like CloudStack; any non-empty values open it. */
export const simSecretsSchema = z.strictObject({
  apiKey: z.string().min(1),
  apiSecret: z.string().min(1),
});

export type SimSecrets = z.output<typeof simSecretsSchema>;

/** The first look at booting VMs: the sim knows its boot time exactly (at least 1 s). */
export function simPollSeconds(config: ConnectorConfig): number {
  const parsed = simSettingsSchema.safeParse(config.settings);
  const bootSeconds = parsed.success ? parsed.data.bootSeconds : simSettingsSchema.parse({}).bootSeconds;
  return Math.max(1, Math.ceil(bootSeconds));
}

/** The `sim` kind as the API knows it (its client code is in `sim-kind.ts`). */
export const simKindInfo: ConnectorKindInfo = {
  kind: 'sim',
  settingsSchema: simSettingsSchema,
  secretsSchema: simSecretsSchema,
  pollSeconds: simPollSeconds,
};
