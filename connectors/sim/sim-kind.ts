/**
 * The `sim` connector kind: a simulated cloud kept in Slipway's own table, with a
 * settable boot time and seeded failure rates, so the whole product runs with no
 * cloud account. The account is the credential: each credential sees its own VMs.
 */
import type { ZodError } from 'zod';
import type { Connector, ConnectorDeps, ConnectorKind, ConnectorSession } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';
import { SIM_IMAGES, SIM_INSTANCE_TYPES, simZones } from './catalogue';
import type { SimContext } from './context';
import { createSimInstance } from './create-instance';
import { listSimInstances } from './list-instances';
import { simPollSeconds, simSecretsSchema, simSettingsSchema } from './settings';
import { terminateSimInstance } from './terminate-instance';

export const simKind: ConnectorKind = {
  kind: 'sim',
  settingsSchema: simSettingsSchema,
  secretsSchema: simSecretsSchema,
  pollSeconds: simPollSeconds,
  open: openSim,
};

/**
 * Opens one account of a `sim` connector. Settings and secrets are checked here, as
 * a real cloud checks them on the first call: invalid ones are a permanent error
 * that names the bad fields and never echoes a secret.
 * @throws Error when `deps.table` is missing: the sim has nowhere to keep its VMs.
 */
export function openSim(session: ConnectorSession, deps: ConnectorDeps): Connector {
  const { config, credentialId } = session;
  if (!deps.table) throw new Error(`sim connector ${config.name} needs a table client (deps.table) to keep its VMs`);
  const settings = simSettingsSchema.safeParse(config.settings);
  if (!settings.success) {
    throw new PermanentCloudError(`sim connector ${config.name} has invalid settings: ${describe(settings.error, true)}`);
  }
  const secrets = simSecretsSchema.safeParse(session.secrets);
  if (!secrets.success) {
    throw new PermanentCloudError(`authentication failed for credential ${credentialId} on sim connector ${config.name}: bad ${describe(secrets.error, false)}`);
  }
  const ctx: SimContext = {
    where: { connector: config.name, account: credentialId },
    settings: settings.data,
    table: deps.table,
    now: deps.now,
  };
  return {
    createInstance: (request) => createSimInstance(ctx, request),
    listInstances: (filter) => listSimInstances(ctx, filter),
    terminateInstance: (cloudId) => terminateSimInstance(ctx, cloudId),
    listImages: async () => SIM_IMAGES.map((image) => ({ ...image })),
    listInstanceTypes: async () => SIM_INSTANCE_TYPES.map((type) => ({ ...type })),
    listZones: async () => simZones(config),
  };
}

/** The failing fields; with their messages only when those cannot hold a secret. */
function describe(error: ZodError, withMessages: boolean): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.') || '(root)';
      return withMessages ? `${path}: ${issue.message}` : path;
    })
    .join(', ');
}
