/**
 * Terminate (404 = already gone) and the admin look-ups against recorded
 * replies: flavors, Glance v2 images over two pages, availability zones.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD_ERROR } from '#connectors/errors';
import { clearFlavorCache } from '#connectors/openstack/flavors';
import { clearTokenCache } from '#connectors/openstack/token-cache';
import { GLANCE, KEYSTONE, NOVA, startFixtureCloud, tokenReply, type FixtureCloud } from './support/fixture-cloud';
import { openOn } from './support/open';

let cloud: FixtureCloud;

beforeEach(async () => {
  clearTokenCache();
  clearFlavorCache();
  cloud = await startFixtureCloud();
  cloud.on('POST', `${KEYSTONE}/auth/tokens`, tokenReply('tok-1'));
});

afterEach(async () => {
  await cloud.close();
});

describe('terminateInstance', () => {
  it('deletes the server', async () => {
    // Prepare
    cloud.on('DELETE', `${NOVA}/servers/12064`, { status: 204, body: '' });
    const { connector } = openOn(cloud);

    // Act
    await connector.terminateInstance('12064');

    // Assess
    expect(cloud.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `${NOVA}/servers/12064` });
  });

  it('counts a server Nova does not know (404) as terminated', async () => {
    // Prepare: no route, so the server answers the recorded itemNotFound.
    const { connector } = openOn(cloud);

    // Act
    const done = connector.terminateInstance('26f7fbee-8ce1-4c28-887a-bfe8e4bb10fe');

    // Assess
    await expect(done).resolves.toBeUndefined();
  });

  it('reports a delete refused while another task runs on the server as transient', async () => {
    // Prepare
    const busy = '{"conflictingRequest": {"code": 409, "message": "Cannot \'delete\' instance 12064 while it is in task_state rebuilding"}}';
    cloud.on('DELETE', `${NOVA}/servers/12064`, { status: 409, body: busy });
    const { connector } = openOn(cloud);

    // Act
    const error = await connector.terminateInstance('12064').catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.transient });
  });
});

describe('look-ups', () => {
  it('lists the flavors with string ids, vCPUs and RAM', async () => {
    // Prepare
    cloud.on('GET', `${NOVA}/flavors/detail`, { file: '_flavors_detail.json' });
    const { connector } = openOn(cloud);

    // Act
    const types = await connector.listInstanceTypes();

    // Assess
    expect(types).toHaveLength(8);
    expect(types).toContainEqual({ id: '1', name: '256 slice', cpu: 1, ramMb: 256 });
    expect(types).toContainEqual({ id: '7', name: '15.5GB slice', cpu: 8, ramMb: 16384 });
  });

  it('lists the Glance images of every page, at the public image URL', async () => {
    // Prepare
    cloud.on('GET', `${GLANCE}/images`, { file: '_images_v2.json' });
    cloud.on('GET', `${GLANCE}/images`, { file: '_images_v2_page2.json' }, { marker: 'e7a40226-3523-4f0f-87d8-d8dc91bbf4a3' });
    const { connector } = openOn(cloud);

    // Act
    const images = await connector.listImages();

    // Assess
    expect(images).toEqual([
      { id: 'f24a3c1b-d52a-4116-91da-25b3eee8f55e', name: 'hypernode' },
      { id: '4bd743f8-7e7d-4568-8f31-b3f06b90e70a', name: 'hypernode' },
      { id: 'f24a3c1b-d52a-4116-91da-25b3eee8f55c', name: 'hypernode' },
    ]);
    expect(cloud.requests.filter((r) => r.path === `${GLANCE}/images`)).toHaveLength(2);
  });

  it('lists the available zones of os-availability-zone', async () => {
    // Prepare: no recorded reply exists for this call; this is the shape Nova 2.1 answers.
    const zones = {
      availabilityZoneInfo: [
        { zoneName: 'nova', zoneState: { available: true }, hosts: null },
        { zoneName: 'down', zoneState: { available: false }, hosts: null },
      ],
    };
    cloud.on('GET', `${NOVA}/os-availability-zone`, { body: JSON.stringify(zones) });
    const { connector } = openOn(cloud);

    // Act
    const listed = await connector.listZones();

    // Assess
    expect(listed).toEqual([{ id: 'nova', name: 'nova' }]);
  });
});
