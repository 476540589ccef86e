/**
 * createImage (Nova's createImage action on a stopped server), imageState and
 * deleteImage (Glance v2) against recorded replies: server 12064 of
 * `_servers_12064.json`, the Glance images of `_images_v2.json`, Nova's itemNotFound
 * body. Nova's 202 for an action has no recorded body: it is built per servers.inc.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreateImageRequest } from '#connectors/contract';
import { CLOUD_ERROR } from '#connectors/errors';
import { clearFlavorCache } from '#connectors/openstack/flavors';
import { glanceImageState } from '#connectors/openstack/image-state';
import { clearTokenCache } from '#connectors/openstack/token-cache';
import { GLANCE, KEYSTONE, NOVA, fixture, startFixtureCloud, tokenReply, type FixtureCloud, type Reply } from './support/fixture-cloud';
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

const IMAGE_ID = '7f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b';
const build: CreateImageRequest = { cloudId: '12064', name: 'slipway-mysql-bld_01jos', tag: { image: 'img_mysql', build: 'bld_01jos' } };

/** `_servers_12064.json` (ACTIVE), or the same server in another state. */
function server12064(status = 'ACTIVE', taskState: string | null = null): Reply {
  const body = JSON.parse(fixture('_servers_12064.json')) as { server: Record<string, unknown> };
  Object.assign(body.server, { status, 'OS-EXT-STS:task_state': taskState });
  return { body: JSON.stringify(body) };
}

/** A Glance listing holding `images` (fields of the first recorded image, re-named and re-tagged). */
function glanceList(images: Record<string, unknown>[]): Reply {
  const recorded = (JSON.parse(fixture('_images_v2.json')) as { images: Record<string, unknown>[] }).images[0]!;
  return { body: JSON.stringify({ images: images.map((image) => ({ ...recorded, ...image })) }) };
}

const accepted = (extra: Partial<Reply> = {}): Reply => ({ status: 202, body: '', ...extra });
const postsTo = (path: string) => cloud.requests.filter((r) => r.method === 'POST' && r.path === path).map((r) => JSON.parse(r.body) as unknown);

describe('openstack createImage', () => {
  it('stops the ACTIVE server, then asks Nova for a snapshot with the image tag as metadata, reading the id from Location', async () => {
    // Prepare
    cloud.on('GET', `${GLANCE}/images`, glanceList([]));
    cloud.on('GET', `${NOVA}/servers/12064`, [server12064('ACTIVE'), server12064('ACTIVE', 'powering-off'), server12064('SHUTOFF')]);
    cloud.on('POST', `${NOVA}/servers/12064/action`, [accepted(), accepted({ headers: { location: `http://192.168.18.100:9292/images/${IMAGE_ID}` } })]);
    const { connector } = openOn(cloud);

    // Act
    const made = await connector.createImage(build);

    // Assess
    expect(made).toEqual({ imageId: IMAGE_ID });
    expect(cloud.requests.find((r) => r.path === `${GLANCE}/images`)?.query.get('name')).toBe('slipway-mysql-bld_01jos');
    expect(postsTo(`${NOVA}/servers/12064/action`)).toEqual([
      { 'os-stop': null },
      { createImage: { name: 'slipway-mysql-bld_01jos', metadata: { 'slipway-image': 'img_mysql', 'slipway-build': 'bld_01jos' } } },
    ]);
  });

  it('reads the image id from the body when the cloud answers microversion 2.45+', async () => {
    // Prepare
    cloud.on('GET', `${GLANCE}/images`, glanceList([]));
    cloud.on('GET', `${NOVA}/servers/12064`, server12064('SHUTOFF'));
    cloud.on('POST', `${NOVA}/servers/12064/action`, accepted({ body: JSON.stringify({ image_id: IMAGE_ID }) }));
    const { connector } = openOn(cloud);

    // Act
    const made = await connector.createImage(build);

    // Assess
    expect(made).toEqual({ imageId: IMAGE_ID });
    expect(postsTo(`${NOVA}/servers/12064/action`)).toEqual([{ createImage: expect.any(Object) }]);
  });

  it('answers the image Glance already holds under the build name and tag, asking Nova nothing', async () => {
    // Prepare
    cloud.on(
      'GET',
      `${GLANCE}/images`,
      glanceList([{ id: IMAGE_ID, name: build.name, status: 'queued', 'slipway-build': 'bld_01jos', 'slipway-image': 'img_mysql' }]),
    );
    const { connector } = openOn(cloud);

    // Act
    const made = await connector.createImage(build);

    // Assess
    expect(made).toEqual({ imageId: IMAGE_ID });
    expect(cloud.requests.filter((r) => r.path.startsWith(NOVA))).toEqual([]);
  });

  it('does not take an image of the same name made for another build', async () => {
    // Prepare
    cloud.on('GET', `${GLANCE}/images`, glanceList([{ id: 'other-image', name: build.name, 'slipway-build': 'bld_other' }]));
    cloud.on('GET', `${NOVA}/servers/12064`, server12064('SHUTOFF'));
    cloud.on('POST', `${NOVA}/servers/12064/action`, accepted({ body: JSON.stringify({ image_id: IMAGE_ID }) }));
    const { connector } = openOn(cloud);

    // Act
    const made = await connector.createImage(build);

    // Assess
    expect(made).toEqual({ imageId: IMAGE_ID });
  });

  it('refuses a server Nova does not know (the recorded itemNotFound) with a permanent error naming it', async () => {
    // Prepare: no route for the server, so it answers _os_keypairs_not_found.json with 404
    cloud.on('GET', `${GLANCE}/images`, glanceList([]));
    const { connector } = openOn(cloud);

    // Act
    const error = await connector.createImage(build).catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining('server 12064 does not exist') });
  });

  it('answers NotReadyYetError for a server still building, and for one still stopping when the wait ends', async () => {
    // Prepare
    cloud.on('GET', `${GLANCE}/images`, glanceList([]));
    cloud.on('GET', `${NOVA}/servers/12064`, [server12064('BUILD', 'spawning'), server12064('ACTIVE', 'powering-off')]);
    const { connector } = openOn(cloud, { tuning: { stopWaitMs: 50 } });

    // Act
    const building = await connector.createImage(build).catch((e: Error) => e);
    const stopping = await connector.createImage(build).catch((e: Error) => e);

    // Assess
    expect(building).toMatchObject({ name: CLOUD_ERROR.notReadyYet, message: expect.stringContaining('BUILD') });
    expect(stopping).toMatchObject({ name: CLOUD_ERROR.notReadyYet, message: expect.stringContaining('powering-off') });
    expect(cloud.requests.filter((r) => r.method === 'POST' && r.path.startsWith(NOVA))).toEqual([]);
  });

  it('reports a snapshot refused while another task runs on the server as transient', async () => {
    // Prepare
    const busy = '{"conflictingRequest": {"code": 409, "message": "Cannot \'createImage\' instance 12064 while it is in task_state image_uploading"}}';
    cloud.on('GET', `${GLANCE}/images`, glanceList([]));
    cloud.on('GET', `${NOVA}/servers/12064`, server12064('SHUTOFF'));
    cloud.on('POST', `${NOVA}/servers/12064/action`, { status: 409, body: busy });
    const { connector } = openOn(cloud);

    // Act
    const error = await connector.createImage(build).catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.transient });
  });
});

describe('openstack imageState and deleteImage', () => {
  it('reads the recorded Glance image (status active) as available', async () => {
    // Prepare
    const recorded = (JSON.parse(fixture('_images_v2.json')) as { images: { id: string }[] }).images[0]!;
    cloud.on('GET', `${GLANCE}/images/${recorded.id}`, { body: JSON.stringify(recorded) });
    const { connector } = openOn(cloud);

    // Act
    const state = await connector.imageState(recorded.id);

    // Assess
    expect(state).toEqual({ state: 'available', rawState: 'active' });
  });

  it('reads an image Glance does not know (404) as gone', async () => {
    // Act
    const state = await openOn(cloud).connector.imageState(IMAGE_ID);

    // Assess
    expect(state).toMatchObject({ state: 'gone', rawState: 'absent' });
  });

  it('deletes the image, and counts one Glance no longer knows as deleted', async () => {
    // Prepare
    cloud.on('DELETE', `${GLANCE}/images/${IMAGE_ID}`, [
      { status: 204, body: '' },
      { status: 404, body: '404 Not Found' },
    ]);
    const { connector } = openOn(cloud);

    // Act
    await connector.deleteImage(IMAGE_ID);
    const again = connector.deleteImage(IMAGE_ID);

    // Assess
    await expect(again).resolves.toBeUndefined();
    expect(cloud.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`${GLANCE}/images/${IMAGE_ID}`, `${GLANCE}/images/${IMAGE_ID}`]);
  });
});

describe('glanceImageState', () => {
  it.each([
    ['queued', 'pending'],
    ['saving', 'pending'],
    ['uploading', 'pending'],
    ['importing', 'pending'],
    ['active', 'available'],
    ['killed', 'failed'],
    ['deactivated', 'failed'],
    ['deleted', 'gone'],
    ['pending_delete', 'gone'],
    ['some_new_status', 'pending'],
  ] as const)('reads status %s as %s', (status, state) => {
    // Act
    const read = glanceImageState({ id: IMAGE_ID, status });

    // Assess
    expect(read).toMatchObject({ state, rawState: status });
    if (state === 'failed') expect(read.reason).toEqual(expect.any(String));
  });
});
