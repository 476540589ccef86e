/** createInstance against recorded RunInstances / DescribeInstances replies. */
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateInstanceRequest, InstanceTag } from '#connectors/contract';
import { TAG_NAMES } from '#connectors/commons/tag';
import { CLOUD_ERROR } from '#connectors/errors';
import { NO_INSTANCES, errorReply, fixtureReply, openOnStub, startEc2Stub, type Ec2Stub, type StubRoutes } from './support/ec2-stub';
import { describePage, inState, recordedReservations, replayedLaunch, tagged } from './support/instances-xml';

const tag: InstanceTag = { run: 'run01', node: 'web', index: 2 };
const request = (overrides: Partial<CreateInstanceRequest> = {}): CreateInstanceRequest => ({
  tag,
  name: 'web.2',
  imageId: 'ami-be3adfd7',
  instanceType: 'm1.small',
  boot: { outputs: [{ name: 'hostname' }], inputs: { db_host: '10.0.0.5' }, readiness: 'running' },
  ...overrides,
});

let stub: Ec2Stub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

async function connectorOn(routes: StubRoutes, settings?: Record<string, unknown>) {
  stub = await startEc2Stub(routes);
  return { connector: openOnStub(stub, { settings }), stub };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );

describe('ec2 createInstance', () => {
  it('launches a VM when none holds the tag and reports it pending (run_instances.xml)', async () => {
    // Prepare
    const { connector } = await connectorOn({ DescribeInstances: NO_INSTANCES, RunInstances: fixtureReply('run_instances.xml') });

    // Act
    const vm = await connector.createInstance(request());

    // Assess
    expect(vm).toEqual({ cloudId: 'i-2ba64342', tag, state: 'pending', rawState: 'pending' });
  });

  it('asks for one VM of the image and type, with the boot script and the Slipway tags', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({ DescribeInstances: NO_INSTANCES, RunInstances: fixtureReply('run_instances.xml') });

    // Act
    await connector.createInstance(request());

    // Assess
    const [launch] = stub.calls('RunInstances');
    const params = Object.fromEntries(launch!.params);
    expect(params).toMatchObject({
      ImageId: 'ami-be3adfd7',
      InstanceType: 'm1.small',
      MinCount: '1',
      MaxCount: '1',
      'TagSpecification.1.ResourceType': 'instance',
    });
    const tags = Object.fromEntries([1, 2, 3, 4].map((i) => [params[`TagSpecification.1.Tag.${i}.Key`], params[`TagSpecification.1.Tag.${i}.Value`]]));
    expect(tags).toEqual({ [TAG_NAMES.run]: 'run01', [TAG_NAMES.node]: 'web', [TAG_NAMES.index]: '2', Name: 'web.2' });
    const script = Buffer.from(params.UserData!, 'base64').toString('utf8');
    expect(script).toMatch(/^#!\/bin\/sh\n/);
    expect(script).toContain("db_host='10.0.0.5'");
  });

  it("passes the connector's subnet, security groups and key pair", async () => {
    // Prepare
    const settings = { subnetId: 'subnet-5fd9d412', securityGroupIds: ['sg-495a9926', 'sg-42916629'], keyName: 'fauxkey' };
    const { connector, stub } = await connectorOn({ DescribeInstances: NO_INSTANCES, RunInstances: fixtureReply('run_instances.xml') }, settings);

    // Act
    await connector.createInstance(request());

    // Assess
    expect(Object.fromEntries(stub.calls('RunInstances')[0]!.params)).toMatchObject({
      SubnetId: 'subnet-5fd9d412',
      'SecurityGroupId.1': 'sg-495a9926',
      'SecurityGroupId.2': 'sg-42916629',
      KeyName: 'fauxkey',
    });
  });

  it('looks for a VM holding the tag first, and returns it without launching another', async () => {
    // Prepare
    const running = tagged(inState(recordedReservations()[0]!, 16, 'running'), tag);
    const { connector, stub } = await connectorOn({ DescribeInstances: describePage([running]), RunInstances: fixtureReply('run_instances.xml') });

    // Act
    const vm = await connector.createInstance(request());

    // Assess
    expect(vm).toMatchObject({ cloudId: 'i-4382922a', state: 'running', tag, ip: '1.2.3.4' });
    expect(stub.calls('RunInstances')).toHaveLength(0);
    const filters = Object.fromEntries(stub.calls('DescribeInstances')[0]!.params);
    expect(filters).toMatchObject({ 'Filter.1.Name': `tag:${TAG_NAMES.run}`, 'Filter.1.Value.1': 'run01', 'Filter.4.Name': 'instance-state-name' });
  });

  it('sends the same ClientToken, derived from the tag, on every retry, and gets the same VM back (run_instances_idem.xml)', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({ DescribeInstances: NO_INSTANCES, RunInstances: fixtureReply('run_instances_idem.xml') });

    // Act
    const first = await connector.createInstance(request());
    const retried = await connector.createInstance(request());
    const other = await connector.createInstance(request({ tag: { ...tag, index: 3 }, name: 'web.3' }));

    // Assess
    const tokens = stub.calls('RunInstances').map((call) => call.params.get('ClientToken'));
    expect(tokens[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
    expect(retried.cloudId).toBe(first.cloudId);
    expect(other.tag).toEqual({ ...tag, index: 3 });
  });

  it('refuses a token reused with other parameters as permanent, with the trimmed cloud message (run_instances_idem_mismatch.xml)', async () => {
    // Prepare
    const { connector } = await connectorOn({ DescribeInstances: NO_INSTANCES, RunInstances: fixtureReply('run_instances_idem_mismatch.xml', 400) });

    // Act
    const error = await failureOf(connector.createInstance(request()));

    // Assess
    expect(error?.name).toBe(CLOUD_ERROR.permanent);
    expect(error?.message).toMatch(/\(IdempotentParameterMismatch\): Arguments on this idempotent request are inconsistent/);
    expect(error?.message).not.toMatch(/\n/);
  });

  it('moves to a fresh token when the replayed one belongs to a terminated VM', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({
      DescribeInstances: NO_INSTANCES,
      RunInstances: [replayedLaunch(48, 'terminated'), fixtureReply('run_instances.xml')],
    });

    // Act
    const vm = await connector.createInstance(request());

    // Assess
    const tokens = stub.calls('RunInstances').map((call) => call.params.get('ClientToken'));
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(vm.state).toBe('pending');
  });

  it('moves to a fresh token when EC2 answers IdempotentInstanceTerminated', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({
      DescribeInstances: NO_INSTANCES,
      RunInstances: [errorReply('IdempotentInstanceTerminated', 'The client token was used by a terminated instance.'), fixtureReply('run_instances.xml')],
    });

    // Act
    const vm = await connector.createInstance(request());

    // Assess
    expect(new Set(stub.calls('RunInstances').map((call) => call.params.get('ClientToken'))).size).toBe(2);
    expect(vm.cloudId).toBe('i-2ba64342');
  });

  it('refuses an unknown image with a permanent error naming the image and the region', async () => {
    // Prepare
    const { connector } = await connectorOn({
      DescribeInstances: NO_INSTANCES,
      RunInstances: errorReply('InvalidAMIID.NotFound', "The image id '[ami-0badc0de]' does not exist"),
    });

    // Act
    const error = await failureOf(connector.createInstance(request({ imageId: 'ami-0badc0de' })));

    // Assess
    expect(error?.name).toBe(CLOUD_ERROR.permanent);
    expect(error?.message).toBe('image ami-0badc0de does not exist in us-east-1 (InvalidAMIID.NotFound)');
  });

  it('refuses a request without an instance type before launching anything', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({ DescribeInstances: NO_INSTANCES, RunInstances: fixtureReply('run_instances.xml') });

    // Act
    const error = await failureOf(connector.createInstance(request({ instanceType: undefined })));

    // Assess
    expect(error?.name).toBe(CLOUD_ERROR.permanent);
    expect(error?.message).toMatch(/needs an instance type for web.2/);
    expect(stub.calls('RunInstances')).toHaveLength(0);
  });
});
