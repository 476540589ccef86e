/**
 * The `ec2` kind against moto's EC2 (../shared/peers/ec2): the connector
 * conformance suite, over SigV4-checked requests to an independent implementation,
 * and an image build from VM to AMI to nothing left behind.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateImageCommand, DescribeSnapshotsCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ConnectorConfig, ImageState } from '#connectors/contract';
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

/** The peer's EC2 as seen with the SDK itself, to check what the connector left in the cloud. */
function rawEc2(env: Record<string, string>): EC2Client {
  return new EC2Client({
    region: env.AWS_REGION!,
    endpoint: env.EC2_PEER_ENDPOINT!,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  });
}

/**
 * An AMI the account owns, made from the peer's stock AMI: `listImages` lists the
 * account's own AMIs, and the suite expects the image it launches among them.
 */
async function ownImage(env: Record<string, string>): Promise<string> {
  const ec2 = rawEc2(env);
  const launched = await ec2.send(new RunInstancesCommand({ ImageId: env.EC2_PEER_IMAGE_ID, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  const instanceId = launched.Instances![0]!.InstanceId!;
  const image = await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'slipway-conformance' }));
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  ec2.destroy();
  return image.ImageId!;
}

/** The ec2 connector opened on the peer with its key (or a wrong secret). */
function openOnPeer(secretAccessKey = peer.env.AWS_SECRET_ACCESS_KEY!): Connector {
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
  return ec2Kind.open(
    { config, credentialId: 'cred-conformance', secrets: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey } },
    { now: () => new Date() },
  );
}

describeConformance({
  kind: 'ec2',
  async setup() {
    const env = peer.env;
    return {
      connector: openOnPeer(),
      openWithBadCredentials: () => openOnPeer(`${env.AWS_SECRET_ACCESS_KEY!}-wrong`),
      imageId: await ownImage(env),
      // Well-formed, so moto answers InvalidAMIID.NotFound rather than .Malformed.
      unknownImageId: 'ami-0123456789abcdef0',
      instanceType: env.EC2_PEER_INSTANCE_TYPE,
      // The peer is stopped in afterAll, after every suite of this file.
      teardown: async () => undefined,
    };
  },
});

describe("an image build on moto's EC2", () => {
  it('snapshots a running VM into an AMI that becomes available, deletes it with its snapshot, and leaves no VM behind', async () => {
    // Prepare
    const env = peer.env;
    const cloud = openOnPeer();
    const tag = { run: `img${Date.now().toString(36)}`, node: 'build', index: 1 };
    const vm = await cloud.createInstance({
      tag,
      name: 'build.1',
      imageId: env.EC2_PEER_IMAGE_ID!,
      instanceType: env.EC2_PEER_INSTANCE_TYPE,
      boot: { outputs: [], inputs: {}, readiness: 'running' },
    });
    const build = `bld_${tag.run}`;
    const snapshotsOf = async (imageId: string) => {
      const ec2 = rawEc2(env);
      const filters = [{ Name: 'description', Values: [`Created by CreateImage(*) for ${imageId}*`] }];
      const reply = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: filters }));
      ec2.destroy();
      return (reply.Snapshots ?? []).map((snapshot) => snapshot.SnapshotId);
    };

    // Act
    const startedAt = Date.now();
    const { imageId } = await cloud.createImage({ cloudId: vm.cloudId, name: `slipway-peer-${build}`, tag: { image: 'img_peer', build } });
    const createdMs = Date.now() - startedAt;
    let state: ImageState = await cloud.imageState(imageId);
    while (state.state === 'pending' && Date.now() - startedAt < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      state = await cloud.imageState(imageId);
    }
    const availableMs = Date.now() - startedAt;
    const snapshotsMade = await snapshotsOf(imageId);
    await cloud.deleteImage(imageId);
    const afterDelete = await cloud.imageState(imageId);
    const snapshotsLeft = await snapshotsOf(imageId);
    await cloud.terminateInstance(vm.cloudId);
    const vmsLeft = (await cloud.listInstances({ run: tag.run })).filter((listed) => listed.state !== 'terminated');
    console.log(
      `ec2 peer: CreateImage answered in ${createdMs} ms, ${imageId} available after ${availableMs} ms (${state.rawState}); ${snapshotsMade.length} snapshot(s) deleted with it`,
    );

    // Assess
    expect(imageId).toMatch(/^ami-/);
    expect(state).toEqual({ state: 'available', rawState: 'available' });
    expect(snapshotsMade.length).toBeGreaterThan(0);
    expect(afterDelete.state).toBe('gone');
    expect(snapshotsLeft).toEqual([]);
    expect(vmsLeft).toEqual([]);
  });
});
