/**
 * createImage, imageState and deleteImage against recorded EC2 replies
 * (describe_images.xml: three available AMIs, one with its EBS snapshot) and the
 * documented shapes of the replies no fixture records (CreateImage, DeregisterImage,
 * DescribeSnapshots, DeleteSnapshot), served by the stub through the real SDK.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateImageRequest } from '#connectors/contract';
import { amiName } from '#connectors/ec2/create-image';
import { ec2ImageState } from '#connectors/ec2/image-state';
import { CLOUD_ERROR } from '#connectors/errors';
import { NO_INSTANCES, errorReply, fixture, fixtureReply, openOnStub, startEc2Stub, type Ec2Stub, type StubReply, type StubRoutes } from './support/ec2-stub';
import { describePage, inState, recordedReservations } from './support/instances-xml';

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

let stub: Ec2Stub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

async function connectorOn(routes: StubRoutes) {
  stub = await startEc2Stub(routes);
  return { connector: openOnStub(stub), stub };
}

const build: CreateImageRequest = { cloudId: 'i-4382922a', name: 'slipway-mysql-bld_01jec2', tag: { image: 'img_mysql', build: 'bld_01jec2' } };

const NO_IMAGES: StubReply = { body: `<DescribeImagesResponse xmlns="${NS}"><requestId>r</requestId><imagesSet/></DescribeImagesResponse>` };
const created = (imageId: string): StubReply => ({
  body: `<CreateImageResponse xmlns="${NS}"><requestId>r</requestId><imageId>${imageId}</imageId></CreateImageResponse>`,
});
const ok = (action: string): StubReply => ({ body: `<${action}Response xmlns="${NS}"><requestId>r</requestId><return>true</return></${action}Response>` });

/** The first recorded AMI of describe_images.xml, renamed, re-stated and tagged as a test needs. */
function recordedImage(changes: { name?: string; state?: string; tags?: Record<string, string>; reason?: string } = {}): StubReply {
  const first = fixture('describe_images.xml').match(/<item>\s*<imageId>ami-57ba933a[\s\S]*?<\/creationDate>\s*<\/item>/)![0];
  let item = first;
  if (changes.name) item = item.replace('<name>Test Image</name>', `<name>${changes.name}</name>`);
  if (changes.state) item = item.replace('<imageState>available</imageState>', `<imageState>${changes.state}</imageState>`);
  if (changes.reason)
    item = item.replace('</imageState>', `</imageState><stateReason><code>Client.Error</code><message>${changes.reason}</message></stateReason>`);
  if (changes.tags) {
    const tags = Object.entries(changes.tags)
      .map(([key, value]) => `<item><key>${key}</key><value>${value}</value></item>`)
      .join('');
    item = item.replace('</creationDate>', `</creationDate><tagSet>${tags}</tagSet>`);
  }
  return { body: `<DescribeImagesResponse xmlns="${NS}"><requestId>r</requestId><imagesSet>${item}</imagesSet></DescribeImagesResponse>` };
}

describe('ec2 createImage', () => {
  it('looks for the AMI by name first, then sends CreateImage tagged, without NoReboot (EC2 shuts the instance down itself)', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({ DescribeImages: NO_IMAGES, CreateImage: created('ami-4fa54026') });

    // Act
    const made = await connector.createImage(build);

    // Assess
    expect(made).toEqual({ imageId: 'ami-4fa54026' });
    const [lookup] = stub.calls('DescribeImages');
    expect(Object.fromEntries(lookup!.params)).toMatchObject({ 'Owner.1': 'self', 'Filter.1.Name': 'name', 'Filter.1.Value.1': 'slipway-mysql-bld_01jec2' });
    const sent = Object.fromEntries(stub.calls('CreateImage')[0]!.params);
    expect(sent).toMatchObject({ InstanceId: 'i-4382922a', Name: 'slipway-mysql-bld_01jec2', 'TagSpecification.1.ResourceType': 'image' });
    expect(sent.NoReboot).toBeUndefined();
    const tags = Object.entries(sent).filter(([key]) => /^TagSpecification\.1\.Tag\.\d+\.(Key|Value)$/.test(key));
    expect(tags.map(([, value]) => value)).toEqual(['slipway-image', 'img_mysql', 'slipway-build', 'bld_01jec2', 'Name', 'slipway-mysql-bld_01jec2']);
  });

  it('answers the account’s AMI already holding the name and the build tag, sending no CreateImage', async () => {
    // Prepare
    const mine = recordedImage({ name: build.name, tags: { 'slipway-build': 'bld_01jec2', 'slipway-image': 'img_mysql' } });
    const { connector, stub } = await connectorOn({ DescribeImages: mine });

    // Act
    const made = await connector.createImage(build);

    // Assess
    expect(made).toEqual({ imageId: 'ami-57ba933a' });
    expect(stub.calls('CreateImage')).toEqual([]);
  });

  it('looks again when EC2 says the name is taken (an earlier attempt made it), and answers that AMI', async () => {
    // Prepare
    const mine = recordedImage({ name: build.name, tags: { 'slipway-build': 'bld_01jec2' } });
    const { connector } = await connectorOn({
      DescribeImages: [NO_IMAGES, mine],
      CreateImage: errorReply('InvalidAMIName.Duplicate', 'AMI name slipway-mysql-bld_01jec2 is already in use by AMI ami-57ba933a'),
    });

    // Act
    const made = await connector.createImage(build);

    // Assess
    expect(made).toEqual({ imageId: 'ami-57ba933a' });
  });

  it('refuses a name taken by an AMI of another build with a permanent error', async () => {
    // Prepare
    const theirs = recordedImage({ name: build.name, tags: { 'slipway-build': 'bld_other' } });
    const { connector } = await connectorOn({ DescribeImages: theirs, CreateImage: errorReply('InvalidAMIName.Duplicate', 'AMI name is already in use') });

    // Act
    const error = await connector.createImage(build).catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining('bld_01jec2') });
  });

  it('answers NotReadyYetError for an instance EC2 cannot image yet (pending), a permanent error for one terminated', async () => {
    // Prepare
    const [reservation] = recordedReservations();
    const wrongState = errorReply('IncorrectInstanceState', "The instance 'i-4382922a' is not in a state from which it can be imaged.");
    const pending = await connectorOn({
      DescribeImages: NO_IMAGES,
      CreateImage: wrongState,
      DescribeInstances: describePage([inState(reservation!, 0, 'pending')]),
    });
    const early = await pending.connector.createImage(build).catch((e: Error) => e);
    await pending.stub.stop();
    const terminated = await connectorOn({
      DescribeImages: NO_IMAGES,
      CreateImage: wrongState,
      DescribeInstances: describePage([inState(reservation!, 48, 'terminated')]),
    });

    // Act
    const late = await terminated.connector.createImage(build).catch((e: Error) => e);

    // Assess
    expect(early).toMatchObject({ name: CLOUD_ERROR.notReadyYet, message: expect.stringContaining('pending') });
    expect(late).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining('i-4382922a') });
  });

  it('refuses an instance EC2 does not know with a permanent error naming it', async () => {
    // Prepare
    const { connector } = await connectorOn({
      DescribeImages: NO_IMAGES,
      CreateImage: errorReply('InvalidInstanceID.NotFound', "The instance ID 'i-4382922a' does not exist"),
      DescribeInstances: NO_INSTANCES,
    });

    // Act
    const error = await connector.createImage(build).catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining('instance i-4382922a does not exist') });
  });
});

describe('ec2 imageState', () => {
  it('reads the recorded AMI (describe_images.xml, imageState available) as available', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({ DescribeImages: fixtureReply('describe_images.xml') });

    // Act
    const state = await connector.imageState('ami-85b2a8ae');

    // Assess
    expect(state).toEqual({ state: 'available', rawState: 'available' });
    expect(stub.calls('DescribeImages')[0]!.params.get('ImageId.1')).toBe('ami-85b2a8ae');
  });

  it('reads an AMI EC2 does not know, or no longer lists, as gone', async () => {
    // Prepare
    const unknown = await connectorOn({ DescribeImages: errorReply('InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist") });
    const never = await unknown.connector.imageState('ami-0123456789abcdef0');
    await unknown.stub.stop();
    const { connector } = await connectorOn({ DescribeImages: NO_IMAGES });

    // Act
    const unlisted = await connector.imageState('ami-57ba933a');

    // Assess
    expect(never).toMatchObject({ state: 'gone' });
    expect(unlisted).toMatchObject({ state: 'gone', rawState: 'absent' });
  });

  it('reads a failed AMI as failed, with EC2’s reason', async () => {
    // Prepare
    const { connector } = await connectorOn({ DescribeImages: recordedImage({ state: 'failed', reason: 'Snapshot creation failed' }) });

    // Act
    const state = await connector.imageState('ami-57ba933a');

    // Assess
    expect(state).toEqual({ state: 'failed', rawState: 'failed', reason: 'Snapshot creation failed' });
  });

  it.each([
    ['pending', 'pending'],
    ['transient', 'pending'],
    ['available', 'available'],
    ['failed', 'failed'],
    ['error', 'failed'],
    ['invalid', 'failed'],
    ['disabled', 'failed'],
    ['deregistered', 'gone'],
    ['something-new', 'pending'],
  ] as const)('maps EC2 state %s to %s', (raw, state) => {
    // Act
    const read = ec2ImageState({ ImageId: 'ami-1', State: raw as never });

    // Assess
    expect(read).toMatchObject({ state, rawState: raw });
  });
});

describe('ec2 deleteImage', () => {
  const snapshots = (ids: string[]): StubReply => ({
    body: `<DescribeSnapshotsResponse xmlns="${NS}"><requestId>r</requestId><snapshotSet>${ids
      .map(
        (id) =>
          `<item><snapshotId>${id}</snapshotId><description>Created by CreateImage(i-4382922a) for ami-57ba933a</description><status>completed</status></item>`,
      )
      .join('')}</snapshotSet></DescribeSnapshotsResponse>`,
  });

  it('deregisters the AMI, then deletes the snapshots CreateImage made for it', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({
      DeregisterImage: ok('DeregisterImage'),
      DescribeSnapshots: snapshots(['snap-88123ed9']),
      DeleteSnapshot: ok('DeleteSnapshot'),
    });

    // Act
    await connector.deleteImage('ami-57ba933a');

    // Assess
    expect(stub.requests.map((r) => r.action)).toEqual(['DeregisterImage', 'DescribeSnapshots', 'DeleteSnapshot']);
    expect(Object.fromEntries(stub.calls('DescribeSnapshots')[0]!.params)).toMatchObject({
      'Owner.1': 'self',
      'Filter.1.Name': 'description',
      'Filter.1.Value.1': 'Created by CreateImage(*) for ami-57ba933a*',
    });
    expect(stub.calls('DeleteSnapshot')[0]!.params.get('SnapshotId')).toBe('snap-88123ed9');
  });

  it('still deletes the snapshots of an AMI deregistered before (a retry), and tolerates one gone meanwhile', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({
      DeregisterImage: errorReply('InvalidAMIID.Unavailable', 'AMI ami-57ba933a is no longer available'),
      DescribeSnapshots: snapshots(['snap-1', 'snap-2']),
      DeleteSnapshot: [errorReply('InvalidSnapshot.NotFound', "The snapshot 'snap-1' does not exist."), ok('DeleteSnapshot')],
    });

    // Act
    const done = connector.deleteImage('ami-57ba933a');

    // Assess
    await expect(done).resolves.toBeUndefined();
    expect(stub.calls('DeleteSnapshot').map((r) => r.params.get('SnapshotId'))).toEqual(['snap-1', 'snap-2']);
  });
});

describe('amiName', () => {
  it.each([
    ['slipway-mysql-bld_01J', 'slipway-mysql-bld_01J'],
    ['wordpress:6.4 (php8)', 'wordpress-6.4 (php8)'],
    ['a', 'a--'],
    ['x'.repeat(200), 'x'.repeat(128)],
  ])('makes %s the AMI name %s', (name, expected) => {
    // Act
    const made = amiName(name);

    // Assess
    expect(made).toBe(expected);
  });
});
