/** listInstances against recorded DescribeInstances replies, and pages built from them. */
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceTag } from '#connectors/contract';
import { TAG_NAMES } from '#connectors/commons/tag';
import { DESCRIBE_PAGE_SIZE } from '#connectors/ec2/describe-instances';
import { fixtureReply, openOnStub, startEc2Stub, type Ec2Stub, type StubRoutes } from './support/ec2-stub';
import { describePage, recordedReservations, tagged, withoutPublicIp } from './support/instances-xml';

let stub: Ec2Stub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

async function connectorOn(routes: StubRoutes) {
  stub = await startEc2Stub(routes);
  return { connector: openOnStub(stub), stub };
}

const db: InstanceTag = { run: 'run01', node: 'db', index: 1 };
const web: InstanceTag = { run: 'run01', node: 'web', index: 1 };

describe('ec2 listInstances', () => {
  it('reads ids, stopped states and public addresses from describe_instances.xml', async () => {
    // Prepare
    const { connector } = await connectorOn({ DescribeInstances: fixtureReply('describe_instances.xml') });

    // Act
    const vms = await connector.listInstances();

    // Assess
    expect(vms).toEqual([
      { cloudId: 'i-4382922a', state: 'stopped', rawState: 'stopped', ip: '1.2.3.4' },
      { cloudId: 'i-8474834a', state: 'stopped', rawState: 'stopped', ip: '1.2.3.5' },
    ]);
  });

  it('asks for every VM carrying the Slipway run tag when no run is given', async () => {
    // Prepare
    const { connector, stub } = await connectorOn({ DescribeInstances: fixtureReply('describe_instances.xml') });

    // Act
    await connector.listInstances();

    // Assess
    expect(Object.fromEntries(stub.calls('DescribeInstances')[0]!.params)).toMatchObject({ 'Filter.1.Name': 'tag-key', 'Filter.1.Value.1': TAG_NAMES.run });
  });

  it('gives the private address of a VM that has no public one', async () => {
    // Prepare
    const [first] = recordedReservations();
    const { connector } = await connectorOn({ DescribeInstances: describePage([withoutPublicIp(first!)]) });

    // Act
    const [vm] = await connector.listInstances();

    // Assess
    expect(vm?.ip).toBe('10.211.11.211');
  });

  it("reads Slipway's tag back and keeps only the asked run's VMs", async () => {
    // Prepare
    const [first, second] = recordedReservations();
    const otherRun = { ...web, run: 'run01x' };
    const { connector, stub } = await connectorOn({ DescribeInstances: describePage([tagged(first!, db), tagged(second!, otherRun)]) });

    // Act
    const vms = await connector.listInstances({ run: 'run01' });

    // Assess
    expect(vms.map((vm) => [vm.cloudId, vm.tag])).toEqual([['i-4382922a', db]]);
    expect(Object.fromEntries(stub.calls('DescribeInstances')[0]!.params)).toMatchObject({
      'Filter.1.Name': `tag:${TAG_NAMES.run}`,
      'Filter.1.Value.1': 'run01',
    });
  });

  it('follows NextToken across pages until the last one', async () => {
    // Prepare
    const [first, second] = recordedReservations();
    const { connector, stub } = await connectorOn({
      DescribeInstances: [describePage([tagged(first!, db)], 'page-2'), describePage([], 'page-3'), describePage([tagged(second!, web)])],
    });

    // Act
    const vms = await connector.listInstances({ run: 'run01' });

    // Assess
    expect(vms.map((vm) => vm.cloudId)).toEqual(['i-4382922a', 'i-8474834a']);
    const calls = stub.calls('DescribeInstances');
    expect(calls.map((call) => call.params.get('NextToken'))).toEqual([null, 'page-2', 'page-3']);
    expect(calls.every((call) => call.params.get('MaxResults') === String(DESCRIBE_PAGE_SIZE))).toBe(true);
  });
});
