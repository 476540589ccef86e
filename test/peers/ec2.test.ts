/**
 * The `ec2` kind against moto's EC2 (../shared/peers/ec2): the connector
 * conformance suite, over SigV4-checked requests to an independent implementation.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateImageCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll } from 'vitest';
import type { ConnectorConfig } from '#connectors/contract';
import { ec2Kind } from '#connectors/ec2/ec2-kind';
import { describeConformance } from '#test/conformance/conformance';
import { startPeer, type Peer } from './support/peer';

let peer: Peer;

beforeAll(async () => {
  // A state dir of our own: a peer someone else started from the default one is left alone.
  process.env.EC2_PEER_HOME = join(mkdtempSync(join(tmpdir(), 'slipway-ec2-conf-')), 'peer');
  peer = await startPeer('ec2', 3 * 60_000);
});

afterAll(async () => {
  await peer?.stop();
});

/**
 * An AMI the account owns, made from the peer's stock AMI: `listImages` lists the
 * account's own AMIs, and the suite expects the image it launches among them.
 */
async function ownImage(env: Record<string, string>): Promise<string> {
  const ec2 = new EC2Client({
    region: env.AWS_REGION!,
    endpoint: env.EC2_PEER_ENDPOINT!,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  });
  const launched = await ec2.send(new RunInstancesCommand({ ImageId: env.EC2_PEER_IMAGE_ID, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  const instanceId = launched.Instances![0]!.InstanceId!;
  const image = await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'slipway-conformance' }));
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  ec2.destroy();
  return image.ImageId!;
}

describeConformance({
  kind: 'ec2',
  async setup() {
    const env = peer.env;
    const config: ConnectorConfig = {
      name: 'ec2-conformance',
      kind: 'ec2',
      endpoint: env.EC2_PEER_ENDPOINT,
      region: env.AWS_REGION,
      maxIaasWorkers: 2,
      defaultQuotaVms: 10,
      settings: {},
    };
    const open = (secretAccessKey: string) =>
      ec2Kind.open({ config, credentialId: 'cred-conformance', secrets: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey } }, { now: () => new Date() });
    return {
      connector: open(env.AWS_SECRET_ACCESS_KEY!),
      openWithBadCredentials: () => open(`${env.AWS_SECRET_ACCESS_KEY!}-wrong`),
      imageId: await ownImage(env),
      // Well-formed, so moto answers InvalidAMIID.NotFound rather than .Malformed.
      unknownImageId: 'ami-0123456789abcdef0',
      instanceType: env.EC2_PEER_INSTANCE_TYPE,
      // The peer is stopped in afterAll, after every suite of this file.
      teardown: async () => undefined,
    };
  },
});
