/**
 * Idempotent create against recorded replies: the POST /servers body, flavors by
 * name or id, a retried create finding its VM, a failed server's fault
 * ("No valid host was found") as CapacityError, and Nova's refusals classified.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreateInstanceRequest } from '#connectors/contract';
import { CLOUD_ERROR } from '#connectors/errors';
import { clearFlavorCache } from '#connectors/openstack/flavors';
import { clearTokenCache } from '#connectors/openstack/token-cache';
import { KEYSTONE, NOVA, REGION, errorServerListAndShow, startFixtureCloud, tokenReply, withTags, type FixtureCloud } from './support/fixture-cloud';
import { PASSWORD, openOn } from './support/open';

let cloud: FixtureCloud;
const tag = { run: 'run-a', node: 'web', index: 2 };
const request = (overrides: Partial<CreateInstanceRequest> = {}): CreateInstanceRequest => ({
  tag,
  name: 'web.2',
  imageId: 'fcf5582a-ad13-4d98-90a6-742116f1793c',
  instanceType: '256 slice',
  boot: {
    outputs: [{ name: 'hostname' }],
    inputs: { db_host: '10.0.0.9' },
    readiness: 'callback',
    callbackUrl: 'https://slipway.example/v1/runs/run-a/parameters',
    token: 'run-token',
  },
  ...overrides,
});
const posts = () => cloud.requests.filter((r) => r.method === 'POST' && r.path === `${NOVA}/servers`);
const deletes = () => cloud.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);

beforeEach(async () => {
  clearTokenCache();
  clearFlavorCache();
  cloud = await startFixtureCloud();
  cloud.on('POST', `${KEYSTONE}/auth/tokens`, tokenReply('tok-1'));
  cloud.on('GET', `${NOVA}/servers/detail`, { file: '_servers_detail_EMPTY.json' });
  cloud.on('GET', `${NOVA}/flavors/detail`, { file: '_flavors_detail.json' });
  cloud.on('POST', `${NOVA}/servers`, { status: 202, file: '_servers_create.json' });
});

afterEach(async () => {
  await cloud.close();
});

describe('createInstance', () => {
  it("posts the server with Slipway's tag as metadata, the flavor's id, base64 user data and the connector's settings", async () => {
    // Prepare
    const { connector } = openOn(cloud, { settings: { networkId: 'net-1', availabilityZone: 'az-2', keyName: 'ops', securityGroups: ['web'] } });

    // Act
    await connector.createInstance(request());

    // Assess
    const { server } = JSON.parse(posts()[0]!.body) as { server: Record<string, unknown> & { user_data: string } };
    expect(server).toMatchObject({
      name: 'slipway-run-a-web.2',
      imageRef: 'fcf5582a-ad13-4d98-90a6-742116f1793c',
      flavorRef: '1',
      metadata: { 'slipway-run': 'run-a', 'slipway-node': 'web', 'slipway-index': '2' },
      networks: [{ uuid: 'net-1' }],
      availability_zone: 'az-2',
      key_name: 'ops',
      security_groups: [{ name: 'web' }],
    });
    expect(Buffer.from(server.user_data, 'base64').toString('utf8')).toMatch(/^#!\/bin\/sh\n[\s\S]*db_host='10\.0\.0\.9'/);
  });

  it('returns the new server as pending with the id Nova gave', async () => {
    // Prepare
    const { connector } = openOn(cloud);

    // Act
    const vm = await connector.createInstance(request());

    // Assess
    expect(vm).toEqual({ cloudId: '26f7fbee-8ce1-4c28-887a-bfe8e4bb10fe', tag, state: 'pending', rawState: 'BUILD' });
  });

  it('takes a flavor id as instanceType too', async () => {
    // Prepare
    const { connector } = openOn(cloud);

    // Act
    await connector.createInstance(request({ instanceType: '7' }));

    // Assess
    expect(JSON.parse(posts()[0]!.body).server.flavorRef).toBe('7');
  });

  it('picks the smallest flavor with the asked cpu and RAM when no instanceType is given', async () => {
    // Prepare
    const { connector } = openOn(cloud);

    // Act
    await connector.createInstance(request({ instanceType: undefined, cpu: 2, ramMb: 1500 }));

    // Assess: "2GB slice" (2048 MB, 2 vCPU) is the first that fits.
    expect(JSON.parse(posts()[0]!.body).server.flavorRef).toBe('4');
  });

  it('refuses an unknown flavor before posting anything', async () => {
    // Prepare
    const { connector } = openOn(cloud);

    // Act
    const error = (await connector.createInstance(request({ instanceType: 'm9.huge' })).catch((e: Error) => e)) as Error;

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toContain('flavor m9.huge does not exist');
    expect(posts()).toEqual([]);
  });

  it('asks for the flavors afresh once when the kept list lacks the asked one', async () => {
    // Prepare
    const { connector } = openOn(cloud);
    await connector.createInstance(request());
    cloud.on('GET', `${NOVA}/flavors/detail`, { body: '{"flavors": [{"id": "new-1", "name": "m2.new", "ram": 512, "vcpus": 1, "disk": 5}]}' });

    // Act
    await connector.createInstance(request({ tag: { ...tag, index: 3 }, name: 'web.3', instanceType: 'm2.new' }));

    // Assess
    expect(JSON.parse(posts()[1]!.body).server.flavorRef).toBe('new-1');
    expect(cloud.requests.filter((r) => r.path === `${NOVA}/flavors/detail`)).toHaveLength(2);
  });

  it('asks for the flavors once for several creates', async () => {
    // Prepare
    const { connector } = openOn(cloud);

    // Act
    await connector.createInstance(request());
    await connector.createInstance(request({ tag: { ...tag, index: 3 }, name: 'web.3' }));

    // Assess
    expect(cloud.requests.filter((r) => r.path === `${NOVA}/flavors/detail`)).toHaveLength(1);
  });

  it('finds the VM it already made when a create is retried, and posts nothing', async () => {
    // Prepare
    cloud.on('GET', `${NOVA}/servers/detail`, { body: withTags('_servers_detail.json', { 12064: tag }) });
    const { connector } = openOn(cloud);

    // Act
    const vm = await connector.createInstance(request());

    // Assess
    expect(vm).toMatchObject({ cloudId: '12064', tag, state: 'running', ip: '50.57.94.30' });
    expect(posts()).toEqual([]);
  });

  it('throws CapacityError for a server whose fault says "No valid host was found", and deletes that server', async () => {
    // Prepare
    cloud.on('GET', `${NOVA}/servers/detail`, { body: withTags('_servers_detail.json', { 12065: tag }) });
    cloud.on('DELETE', `${NOVA}/servers/12065`, { status: 204, body: '' });
    const { connector } = openOn(cloud);

    // Act
    const error = (await connector.createInstance(request()).catch((e: Error) => e)) as Error;

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.capacity);
    expect(error.message).toMatch(/no valid host was found/i);
    expect(deletes()).toEqual([`${NOVA}/servers/12065`]);
    expect(posts()).toEqual([]);
  });

  it('throws CapacityError when the show reply of a server left in ERROR says "No valid host was found"', async () => {
    // Prepare
    const failed = errorServerListAndShow(tag);
    cloud.on('GET', `${NOVA}/servers/detail`, { body: failed.list });
    cloud.on('GET', `${NOVA}/servers/${failed.id}`, { body: failed.show });
    cloud.on('DELETE', `${NOVA}/servers/${failed.id}`, { status: 204, body: '' });
    const { connector } = openOn(cloud);

    // Act
    const error = (await connector.createInstance(request()).catch((e: Error) => e)) as Error;

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.capacity);
    expect(deletes()).toEqual([`${NOVA}/servers/${failed.id}`]);
    expect(posts()).toEqual([]);
  });

  it('deletes a server left in ERROR by an earlier attempt and reports its fault as transient', async () => {
    // Prepare
    const id = '2d05bd68-3fbb-4b47-9f38-c690a5d93e45';
    cloud.on('GET', `${NOVA}/servers/detail`, { body: withTags('_servers_detail_ERROR_STATE.json', { [id]: tag }) });
    cloud.on('DELETE', `${NOVA}/servers/${id}`, { status: 204, body: '' });
    const { connector } = openOn(cloud);

    // Act
    const error = (await connector.createInstance(request()).catch((e: Error) => e)) as Error;

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.transient);
    expect(error.message).toContain('The server has either erred');
    expect(deletes()).toEqual([`${NOVA}/servers/${id}`]);
  });

  it('names the image and the region when Nova does not know the image', async () => {
    // Prepare
    cloud.on('POST', `${NOVA}/servers`, { status: 400, body: '{"badRequest": {"code": 400, "message": "Can not find requested image"}}' });
    const { connector } = openOn(cloud);

    // Act
    const error = (await connector.createInstance(request({ imageId: 'img-missing' })).catch((e: Error) => e)) as Error;

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toContain(`image img-missing does not exist in region ${REGION}`);
    expect(String(error.cause)).toContain('Can not find requested image');
  });

  it("reports the project's quota at the cloud as CloudQuotaExceededError", async () => {
    // Prepare
    const quota = '{"forbidden": {"code": 403, "message": "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}}';
    cloud.on('POST', `${NOVA}/servers`, { status: 403, body: quota });
    const { connector } = openOn(cloud);

    // Act
    const error = (await connector.createInstance(request()).catch((e: Error) => e)) as Error;

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.quotaExceeded);
    expect(String(error.cause)).toContain('already used 10 of 10 instances');
  });

  it.each([
    [500, '{"computeFault": {"code": 500, "message": "Unexpected API Error."}}', CLOUD_ERROR.transient],
    [503, 'Service Unavailable', CLOUD_ERROR.transient],
    [429, '{"overLimit": {"code": 429, "message": "Rate limit exceeded."}}', CLOUD_ERROR.rateLimited],
    [413, '{"overLimit": {"code": 413, "message": "This request was rate-limited."}}', CLOUD_ERROR.rateLimited],
    [409, '{"conflictingRequest": {"code": 409, "message": "Cannot \'create\' instance while it is in task_state building"}}', CLOUD_ERROR.transient],
    [400, '{"badRequest": {"code": 400, "message": "Invalid key_name provided."}}', CLOUD_ERROR.permanent],
  ])('classifies HTTP %i from Nova without any secret in the message', async (status, body, name) => {
    // Prepare
    cloud.on('POST', `${NOVA}/servers`, { status, body });
    const { connector } = openOn(cloud);

    // Act
    const error = (await connector.createInstance(request()).catch((e: Error) => e)) as Error;

    // Assess
    expect(error.name).toBe(name);
    for (const secret of [PASSWORD, 'tok-1', 'run-token']) expect(`${error.message} ${String(error.cause)}`).not.toContain(secret);
  });
});
