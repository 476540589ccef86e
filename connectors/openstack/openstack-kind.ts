/**
 * The `openstack` connector kind: Keystone v3 password auth, Nova for servers,
 * flavors, zones and snapshots, Glance v2 for images. Settings and secrets are checked when
 * a connector is opened, as a cloud checks them on the first call.
 */
import type { Connector, ConnectorDeps, ConnectorKind, ConnectorSession } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';
import { parseSession } from '#connectors/commons/session';
import { DEFAULT_OPENSTACK_TUNING, type OpenstackContext, type OpenstackTuning } from './context';
import { createOpenstackImage } from './create-image';
import { createServer } from './create-server';
import { listFlavors } from './flavors';
import { deleteOpenstackImage, openstackImageState } from './image-state';
import { listImages } from './images';
import { listInstances } from './list-servers';
import { openstackKindInfo, openstackSecretsSchema, openstackSettingsSchema } from './settings';
import { deleteServer } from './terminate-server';
import { listZones } from './zones';

export const openstackKind: ConnectorKind = { ...openstackKindInfo, open: (session, deps) => openOpenstack(session, deps) };

/**
 * Opens one credential on an `openstack` connector. Nothing is sent yet: the
 * first call signs in (or reuses the token cached for this credential). `tuning`
 * lets tests shorten waits.
 * @throws PermanentCloudError for a connector without endpoint, invalid settings,
 *   or secrets that do not fit (naming the fields, never their values).
 */
export function openOpenstack(session: ConnectorSession, deps: ConnectorDeps, tuning: Partial<OpenstackTuning> = {}): Connector {
  const { config, credentialId } = session;
  if (!config.endpoint) throw new PermanentCloudError(`openstack connector ${config.name} has no endpoint (its Keystone v3 URL)`);
  const { settings, secrets } = parseSession('openstack', session, { settings: openstackSettingsSchema, secrets: openstackSecretsSchema });
  const ctx: OpenstackContext = {
    connector: config.name,
    endpoint: config.endpoint,
    region: config.region,
    credentialId,
    secrets: secrets,
    settings: settings,
    budget: deps.budget,
    now: deps.now,
    tuning: { ...DEFAULT_OPENSTACK_TUNING, ...tuning },
  };
  return {
    createInstance: (request) => createServer(ctx, request),
    listInstances: (filter) => listInstances(ctx, filter),
    terminateInstance: (cloudId) => deleteServer(ctx, cloudId),
    listImages: () => listImages(ctx),
    listInstanceTypes: async () => (await listFlavors(ctx)).map((flavor) => ({ id: flavor.id, name: flavor.name, cpu: flavor.vcpus, ramMb: flavor.ram })),
    listZones: () => listZones(ctx),
    createImage: (request) => createOpenstackImage(ctx, request),
    imageState: (imageId) => openstackImageState(ctx, imageId),
    deleteImage: (imageId) => deleteOpenstackImage(ctx, imageId),
  };
}
