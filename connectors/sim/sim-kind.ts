/**
 * The `sim` connector kind: a simulated cloud kept in Slipway's own table, with a
 * settable boot time and seeded failure rates, so the whole product runs with no
 * cloud account. The account is the credential: each credential sees its own VMs
 * and the images built from them.
 */
import type { Connector, ConnectorDeps, ConnectorKind, ConnectorSession } from '#connectors/contract';
import { parseSession } from '#connectors/commons/session';
import { SIM_IMAGES, SIM_INSTANCE_TYPES, simZones } from './catalogue';
import type { SimContext } from './context';
import { createSimImage } from './create-image';
import { createSimInstance } from './create-instance';
import { deleteSimImage, listBuiltImages, simImageState } from './images';
import { listSimInstances } from './list-instances';
import { simKindInfo, simSecretsSchema, simSettingsSchema } from './settings';
import { terminateSimInstance } from './terminate-instance';

export const simKind: ConnectorKind = { ...simKindInfo, open: openSim };

/**
 * Opens one account of a `sim` connector. Settings and secrets are checked here, as
 * a real cloud checks them on the first call: invalid ones are a permanent error
 * that names the bad fields and never echoes a secret.
 * @throws Error when `deps.table` is missing: the sim has nowhere to keep its VMs.
 */
export function openSim(session: ConnectorSession, deps: ConnectorDeps): Connector {
  const { config, credentialId } = session;
  if (!deps.table) throw new Error(`sim connector ${config.name} needs a table client (deps.table) to keep its VMs`);
  const { settings } = parseSession('sim', session, { settings: simSettingsSchema, secrets: simSecretsSchema });
  const ctx: SimContext = {
    where: { connector: config.name, account: credentialId },
    settings: settings,
    table: deps.table,
    now: deps.now,
  };
  return {
    createInstance: (request) => createSimInstance(ctx, request),
    listInstances: (filter) => listSimInstances(ctx, filter),
    terminateInstance: (cloudId) => terminateSimInstance(ctx, cloudId),
    listImages: async () => [...SIM_IMAGES.map((image) => ({ ...image })), ...(await listBuiltImages(ctx))],
    listInstanceTypes: async () => SIM_INSTANCE_TYPES.map((type) => ({ ...type })),
    listZones: async () => simZones(config),
    createImage: (request) => createSimImage(ctx, request),
    imageState: (imageId) => simImageState(ctx, imageId),
    deleteImage: (imageId) => deleteSimImage(ctx, imageId),
  };
}
