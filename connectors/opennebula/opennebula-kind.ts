/**
 * The `opennebula` connector kind: OpenNebula's XML-RPC API (`one.*` methods on
 * `http(s)://<front-end>:2633/RPC2`), authenticated by the `username:password`
 * session string. VMs are allocated from an image id with Slipway's tag in their
 * USER_TEMPLATE; sizes come from a VM template named by `instanceType` (see capacity.ts).
 */
import type { Connector, ConnectorDeps, ConnectorKind, ConnectorSession } from '#connectors/contract';
import { isCloudError, PermanentCloudError, TransientCloudError } from '#connectors/errors';
import { parseSession } from '#connectors/commons/session';
import { DEFAULT_OPENNEBULA_TUNING, type OpennebulaContext, type OpennebulaTuning } from './context';
import { createOpennebulaInstance } from './create-instance';
import { createOpennebulaImage, deleteOpennebulaImage, opennebulaImageStateOf } from './images';
import { listTaggedVms, VM_POOL_METHODS } from './list-vms';
import { listImages, listInstanceTypes, listZones } from './lookups';
import { rpcClient } from './rpc-client';
import { opennebulaKindInfo, opennebulaSecretsSchema, opennebulaSettingsSchema } from './settings';
import { terminateOpennebulaInstance } from './terminate-instance';

export const opennebulaKind: ConnectorKind = { ...opennebulaKindInfo, open: (session, deps) => openOpennebula(session, deps) };

/**
 * An answer oned should never give (a pool payload that does not parse) is the
 * only non-cloud error an operation can meet: classify it as transient, like a garbled reply.
 */
function classified<A extends unknown[], R>(what: string, operation: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await operation(...args);
    } catch (error) {
      if (isCloudError(error)) throw error;
      throw new TransientCloudError(`opennebula ${what}: unexpected answer from the cloud (${(error as Error).message})`, { cause: error });
    }
  };
}

/**
 * Opens one credential on an `opennebula` connector. Settings and secrets are
 * checked here: invalid ones are a permanent error naming the bad fields (never a secret).
 * `tuning` lets tests shorten waits.
 * @throws PermanentCloudError when the connector has no endpoint, or settings or secrets are invalid.
 */
export function openOpennebula(session: ConnectorSession, deps: ConnectorDeps, tuning: Partial<OpennebulaTuning> = {}): Connector {
  const { config, credentialId } = session;
  if (!config.endpoint)
    throw new PermanentCloudError(`opennebula connector ${config.name} has no endpoint (its XML-RPC URL, e.g. http://one.example:2633/RPC2)`);
  const { settings, secrets } = parseSession('opennebula', session, { settings: opennebulaSettingsSchema, secrets: opennebulaSecretsSchema });
  const call = rpcClient({
    endpoint: config.endpoint,
    ...secrets,
    credentialId,
    connectorName: config.name,
    budget: deps.budget,
  });
  const ctx: OpennebulaContext = {
    call,
    connectorName: config.name,
    networkId: settings.networkId,
    pool: { method: VM_POOL_METHODS.extended },
    tuning: { ...DEFAULT_OPENNEBULA_TUNING, ...tuning },
  };
  return {
    createInstance: classified('createInstance', (request) => createOpennebulaInstance(ctx, request)),
    listInstances: classified('listInstances', (filter) => listTaggedVms(ctx.call, ctx.pool, filter)),
    terminateInstance: classified('terminateInstance', (cloudId) => terminateOpennebulaInstance(ctx, cloudId)),
    listImages: classified('listImages', () => listImages(call)),
    listInstanceTypes: classified('listInstanceTypes', () => listInstanceTypes(call)),
    listZones: classified('listZones', () => listZones(call)),
    createImage: classified('createImage', (request) => createOpennebulaImage(ctx, request)),
    imageState: classified('imageState', (imageId) => opennebulaImageStateOf(ctx, imageId)),
    deleteImage: classified('deleteImage', (imageId) => deleteOpennebulaImage(ctx, imageId)),
  };
}
