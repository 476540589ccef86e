/**
 * The `ec2` connector kind: Amazon EC2, or any EC2-compatible endpoint, through
 * `@aws-sdk/client-ec2`. One connector is one region; the credential is an access key.
 */
import type { Connector, ConnectorDeps, ConnectorKind, ConnectorSession } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';
import { parseSession } from '#connectors/commons/session';
import { listEc2Images, listEc2InstanceTypes, listEc2Zones } from './catalogue';
import { ec2Client, type Ec2ClientOptions } from './client';
import type { Ec2Context } from './context';
import { createEc2Image } from './create-image';
import { createEc2Instance } from './create-instance';
import { deleteEc2Image } from './delete-image';
import { listEc2Instances } from './describe-instances';
import { ec2ImageStateOf } from './image-state';
import { ec2KindInfo, ec2SecretsSchema, ec2SettingsSchema } from './settings';
import { terminateEc2Instance } from './terminate-instance';

export const ec2Kind: ConnectorKind = { ...ec2KindInfo, open: (session, deps) => openEc2(session, deps) };

/** Test seams: shorter request timeouts than production's. */
export interface Ec2OpenOptions {
  timeouts?: Ec2ClientOptions['timeouts'];
}

/**
 * Opens one credential's view of an `ec2` connector. Nothing is sent yet; invalid
 * settings, secrets or a missing region are a permanent error that names the bad
 * fields and never echoes a secret.
 */
export function openEc2(session: ConnectorSession, deps: ConnectorDeps, options: Ec2OpenOptions = {}): Connector {
  const { config, credentialId } = session;
  const { settings, secrets } = parseSession('ec2', session, { settings: ec2SettingsSchema, secrets: ec2SecretsSchema });
  if (!config.region) throw new PermanentCloudError(`ec2 connector ${config.name} has no region: an admin must set one`);
  const region = config.region;
  let client: ReturnType<typeof ec2Client> | undefined;
  const ctx: Ec2Context = {
    client: () => (client ??= ec2Client({ region, endpoint: config.endpoint, secrets: secrets, budget: deps.budget, timeouts: options.timeouts })),
    connector: config.name,
    region: config.region,
    credentialId,
    settings: settings,
    secrets: [secrets.accessKeyId, secrets.secretAccessKey],
  };
  return {
    createInstance: (request) => createEc2Instance(ctx, request),
    listInstances: (filter) => listEc2Instances(ctx, filter),
    terminateInstance: (cloudId) => terminateEc2Instance(ctx, cloudId),
    listImages: () => listEc2Images(ctx),
    listInstanceTypes: () => listEc2InstanceTypes(ctx),
    listZones: () => listEc2Zones(ctx),
    createImage: (request) => createEc2Image(ctx, request),
    imageState: (imageId) => ec2ImageStateOf(ctx, imageId),
    deleteImage: (imageId) => deleteEc2Image(ctx, imageId),
  };
}
