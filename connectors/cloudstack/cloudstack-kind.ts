/**
 * The `cloudstack` connector kind: Apache CloudStack's API as Exoscale served it.
 * Signed requests (HMAC-SHA1, `signatureversion=3`), async jobs polled within a
 * bounded wait, VMs tagged with Slipway's tag and listed in bulk by it, images
 * built as templates of a stopped VM's ROOT volume.
 */
import type { Connector, ConnectorDeps, ConnectorKind, ConnectorSession } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';
import { parseSession } from '#connectors/commons/session';
import { cloudStackApi } from './api-client';
import { DEFAULT_TUNING, type CloudStackContext, type CloudStackTuning } from './context';
import { createCloudStackImage } from './create-image';
import { createCloudStackInstance } from './create-instance';
import { listTaggedInstances } from './list-vms';
import { listImages, listInstanceTypes, listZones } from './lookups';
import { cloudstackKindInfo, cloudstackSecretsSchema, cloudstackSettingsSchema } from './settings';
import { cloudStackImageState, deleteCloudStackTemplate } from './templates';
import { terminateCloudStackInstance } from './terminate-instance';

export const cloudstackKind: ConnectorKind = { ...cloudstackKindInfo, open: (session, deps) => openCloudStack(session, deps) };

/**
 * Opens one credential on a `cloudstack` connector. `tuning` lets tests shorten waits and pages.
 * @throws PermanentCloudError for a missing endpoint, invalid settings or malformed secrets.
 */
export function openCloudStack(session: ConnectorSession, deps: ConnectorDeps, tuning: Partial<CloudStackTuning> = {}): Connector {
  const ctx = cloudStackContext(session, deps, tuning);
  return {
    createInstance: (request) => createCloudStackInstance(ctx, request),
    listInstances: (filter) => listTaggedInstances(ctx, filter),
    terminateInstance: (cloudId) => terminateCloudStackInstance(ctx, cloudId),
    listImages: () => listImages(ctx),
    listInstanceTypes: () => listInstanceTypes(ctx),
    listZones: () => listZones(ctx),
    createImage: (request) => createCloudStackImage(ctx, request),
    imageState: (imageId) => cloudStackImageState(ctx, imageId),
    deleteImage: (imageId) => deleteCloudStackTemplate(ctx, imageId),
  };
}

/**
 * What every operation works with. Settings and secrets are checked here; a bad
 * one is a permanent error naming the field, never its value.
 */
export function cloudStackContext(session: ConnectorSession, deps: ConnectorDeps, tuning: Partial<CloudStackTuning> = {}): CloudStackContext {
  const { config, credentialId } = session;
  const where = `cloudstack connector ${config.name}`;
  if (!config.endpoint) throw new PermanentCloudError(`${where} has no endpoint (the API URL, e.g. https://api.exoscale.ch/compute)`);
  const { settings, secrets } = parseSession('cloudstack', session, { settings: cloudstackSettingsSchema, secrets: cloudstackSecretsSchema });

  const tuned = { ...DEFAULT_TUNING, ...tuning };
  return {
    api: cloudStackApi({
      endpoint: config.endpoint,
      apiKey: secrets.apiKey,
      secretKey: secrets.secretKey,
      budget: deps.budget,
      now: deps.now,
      readRetryDelaysMs: tuned.readRetryDelaysMs,
      context: { connector: config.name, credentialId },
    }),
    connector: config.name,
    credentialId,
    cloudKey: `${config.name}|${config.endpoint}`,
    zone: config.zone,
    settings: settings,
    tuning: tuned,
  };
}
