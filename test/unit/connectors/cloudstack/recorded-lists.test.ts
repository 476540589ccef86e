/** Listings and look-ups against recorded CloudStack responses (libcloud's fixtures), served over local HTTP. */
import { afterEach, describe, expect, it } from 'vitest';
import { listVms } from '#connectors/cloudstack/list-vms';
import { toCloudInstance } from '#connectors/cloudstack/vm';
import { CLOUD_ERROR } from '#connectors/errors';
import { startFixtureServer, type FixtureServer, type Scenarios } from './fixture-server';
import { CREDENTIAL, EXTRA_BODIES, SECRETS, contextOn, openOn, rejection } from './recorded-world';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function serve(scenarios: Scenarios = {}): Promise<FixtureServer> {
  server = await startFixtureServer(scenarios, EXTRA_BODIES);
  return server;
}

describe('cloudstack listings on recorded responses', () => {
  it('reads ids, mapped and raw states and default-NIC addresses from listVirtualMachines', async () => {
    // Prepare
    const fixtures = await serve();

    // Act
    const vms = (await listVms(contextOn(fixtures.endpoint))).map(toCloudInstance);

    // Assess
    expect(vms).toEqual([
      { cloudId: '2600', state: 'running', rawState: 'Running', ip: '1.1.1.116' },
      { cloudId: '2601', state: 'pending', rawState: 'Starting', ip: '1.1.1.203' },
    ]);
  });

  it('reports only the address of the NIC that has one when another NIC has none', async () => {
    // Prepare
    const fixtures = await serve({ listVirtualMachines: 'noipaddress' });

    // Act
    const vms = (await listVms(contextOn(fixtures.endpoint))).map(toCloudInstance);

    // Assess
    expect(vms.map((vm) => vm.ip)).toEqual(['1.1.1.116', '1.1.1.203']);
  });

  it('leaves out of the bulk list the VMs that carry no Slipway tag', async () => {
    // Prepare
    const fixtures = await serve();

    // Act
    const vms = await openOn(fixtures.endpoint).listInstances();

    // Assess
    expect(vms).toEqual([]);
  });

  it('narrows listVirtualMachines to the resolved zone of the connector', async () => {
    // Prepare
    const fixtures = await serve();

    // Act
    await listVms(contextOn(fixtures.endpoint));

    // Assess
    expect(fixtures.of('listVirtualMachines')[0]!.params.zoneid).toBe('1');
  });

  it('asks for the next page while pages come back full, and stops at a short one', async () => {
    // Prepare
    const fixtures = await serve({ listVirtualMachines: (p) => (p.page === '1' ? 'default' : 'empty') });

    // Act
    const vms = await listVms(contextOn(fixtures.endpoint, { pageSize: 2 }));

    // Assess
    expect(fixtures.of('listVirtualMachines').map((r) => [r.params.page, r.params.pagesize])).toEqual([
      ['1', '2'],
      ['2', '2'],
    ]);
    expect(vms.map((vm) => String(vm.id))).toEqual(['2600', '2601']);
  });

  it('stops paging once count items were read', async () => {
    // Prepare
    const fixtures = await serve({ listZones: 'deployip' });

    // Act
    const zones = await openOn(fixtures.endpoint, { pageSize: 2 }).listZones();

    // Assess
    expect(zones).toEqual([
      { id: '1', name: 'zone1' },
      { id: '2', name: 'zone2' },
    ]);
    expect(fixtures.of('listZones')).toHaveLength(1);
  });

  it('reads an empty template list (no template key, no count) as no images', async () => {
    // Prepare
    const fixtures = await serve({ listTemplates: 'notemplates' });

    // Act
    const images = await openOn(fixtures.endpoint).listImages();

    // Assess
    expect(images).toEqual([]);
  });

  it('lists executable templates of the zone, backslashes in names unescaped', async () => {
    // Prepare
    const fixtures = await serve();

    // Act
    const images = await openOn(fixtures.endpoint).listImages();

    // Assess
    expect(images).toHaveLength(13);
    expect(images).toContainEqual({ id: '576', name: 'ESX[beta] Ubuntu 10.04.2 CHEF Small \\ Micro Optimised' });
    expect(fixtures.of('listTemplates')[0]!.params).toMatchObject({ templatefilter: 'executable', zoneid: '1' });
  });

  it('lists service offerings as instance types with CPU and RAM', async () => {
    // Prepare
    const fixtures = await serve();

    // Act
    const types = await openOn(fixtures.endpoint).listInstanceTypes();

    // Assess
    expect(types).toHaveLength(5);
    expect(types[0]).toEqual({ id: '105', name: 'Compute Micro PRD', cpu: 1, ramMb: 384 });
  });

  it('turns a 401 into a permanent authentication error naming the credential, with no secret in it', async () => {
    // Prepare
    const fixtures = await serve({ listZones: 'denied' });

    // Act
    const error = await rejection(openOn(fixtures.endpoint).listZones());

    // Assess
    const signature = fixtures.of('listZones')[0]!.params.signature!;
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toMatch(new RegExp(`^authentication failed for credential ${CREDENTIAL} `));
    for (const secret of [SECRETS.secretKey, signature]) {
      expect(error.message).not.toContain(secret);
      expect(String((error.cause as Error).message)).not.toContain(secret);
    }
  });
});
