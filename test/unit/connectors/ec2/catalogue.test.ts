/** The admin look-ups: images, instance types and zones, read live and paginated. */
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureReply, openOnStub, startEc2Stub, type Ec2Stub, type StubReply, type StubRoutes } from './support/ec2-stub';

let stub: Ec2Stub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

async function connectorOn(routes: StubRoutes, region?: string) {
  stub = await startEc2Stub(routes);
  return { connector: openOnStub(stub, { region }), stub };
}

/** A DescribeInstanceTypes page (there is no recording of one; the shape is the EC2 API reference's). */
function typesPage(types: { name: string; cpus: number; mib: number }[], nextToken?: string): StubReply {
  const items = types
    .map(
      (t) =>
        `<item><instanceType>${t.name}</instanceType><vCpuInfo><defaultVCpus>${t.cpus}</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>${t.mib}</sizeInMiB></memoryInfo></item>`,
    )
    .join('');
  const next = nextToken ? `<nextToken>${nextToken}</nextToken>` : '';
  return {
    body: `<DescribeInstanceTypesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><instanceTypeSet>${items}</instanceTypeSet>${next}</DescribeInstanceTypesResponse>`,
  };
}

describe('ec2 look-ups', () => {
  it('lists the AMIs of describe_images.xml by id and name', async () => {
    // Prepare
    const { connector } = await connectorOn({ DescribeImages: fixtureReply('describe_images.xml') });

    // Act
    const images = await connector.listImages();

    // Assess
    expect(images).toEqual([
      { id: 'ami-57ba933a', name: 'Test Image' },
      { id: 'ami-85b2a8ae', name: 'Test Image 2' },
      { id: 'ami-85b2a8ac', name: 'Test Image 3' },
    ]);
  });

  it("asks only for the account's own AMIs", async () => {
    // Prepare
    const { connector, stub } = await connectorOn({ DescribeImages: fixtureReply('describe_images.xml') });

    // Act
    await connector.listImages();

    // Assess
    expect(stub.calls('DescribeImages')[0]!.params.get('Owner.1')).toBe('self');
  });

  it('lists instance types with vCPUs and memory across pages', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({
      DescribeInstanceTypes: [typesPage([{ name: 't3.micro', cpus: 2, mib: 1024 }], 'types-2'), typesPage([{ name: 'm5.large', cpus: 2, mib: 8192 }])],
    });

    // Act
    const types = await connector.listInstanceTypes();

    // Assess
    expect(types).toEqual([
      { id: 't3.micro', name: 't3.micro', cpu: 2, ramMb: 1024 },
      { id: 'm5.large', name: 'm5.large', cpu: 2, ramMb: 8192 },
    ]);
    expect(stub.calls('DescribeInstanceTypes').map((call) => call.params.get('NextToken'))).toEqual([null, 'types-2']);
  });

  it('lists the zones of describe_availability_zones.xml by name', async () => {
    // Prepare
    const { connector } = await connectorOn({ DescribeAvailabilityZones: fixtureReply('describe_availability_zones.xml') }, 'eu-west-1');

    // Act
    const zones = await connector.listZones();

    // Assess
    expect(zones).toEqual([
      { id: 'eu-west-1a', name: 'eu-west-1a' },
      { id: 'eu-west-1b', name: 'eu-west-1b' },
    ]);
  });
});
