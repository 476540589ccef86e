/**
 * Keystone v3 sign-in against recorded replies: the password request, the token
 * from X-Subject-Token reused across calls and renewed before expiry, one fresh
 * sign-in on a 401 from Nova, and a 401 from Keystone as a permanent error.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD_ERROR } from '#connectors/errors';
import { clearTokenCache } from '#connectors/openstack/token-cache';
import { KEYSTONE, NOVA, startFixtureCloud, tokenReply, type FixtureCloud } from './support/fixture-cloud';
import { CREDENTIAL, PASSWORD, openOn } from './support/open';

let cloud: FixtureCloud;
const tokenPosts = () => cloud.requests.filter((r) => r.method === 'POST' && r.path === `${KEYSTONE}/auth/tokens`);
const novaLists = () => cloud.requests.filter((r) => r.path === `${NOVA}/servers/detail`);

beforeEach(async () => {
  clearTokenCache();
  cloud = await startFixtureCloud();
  cloud.on('GET', `${NOVA}/servers/detail`, { file: '_servers_detail_EMPTY.json' });
});

afterEach(async () => {
  await cloud.close();
});

describe('Keystone v3 password sign-in', () => {
  it('asks for a project-scoped token with the password method and the Default domains', async () => {
    // Prepare
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, tokenReply('tok-1'));
    const { connector } = openOn(cloud);

    // Act
    await connector.listInstances();

    // Assess
    expect(JSON.parse(tokenPosts()[0]!.body)).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: PASSWORD } } },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    });
  });

  it('sends the token from X-Subject-Token to Nova and reuses it across calls', async () => {
    // Prepare
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, [tokenReply('tok-1'), tokenReply('tok-2')]);
    const { connector } = openOn(cloud);

    // Act
    await connector.listInstances();
    await connector.listInstances({ run: 'r1' });

    // Assess
    expect(tokenPosts()).toHaveLength(1);
    expect(novaLists().map((r) => r.headers['x-auth-token'])).toEqual(['tok-1', 'tok-1']);
  });

  it('shares one sign-in between concurrent calls', async () => {
    // Prepare
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, [tokenReply('tok-1'), tokenReply('tok-2')]);
    const { connector } = openOn(cloud);

    // Act
    await Promise.all([connector.listInstances(), connector.listInstances(), connector.listInstances()]);

    // Assess
    expect(tokenPosts()).toHaveLength(1);
  });

  it('signs in again a few minutes before the token expires', async () => {
    // Prepare: the recorded token lives one hour.
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, [tokenReply('tok-1'), tokenReply('tok-2')]);
    const { connector, clock } = openOn(cloud);
    await connector.listInstances();

    // Act
    clock.now = new Date(clock.now.getTime() + 50 * 60_000);
    await connector.listInstances();
    clock.now = new Date(clock.now.getTime() + 6 * 60_000);
    await connector.listInstances();

    // Assess
    expect(novaLists().map((r) => r.headers['x-auth-token'])).toEqual(['tok-1', 'tok-1', 'tok-2']);
  });

  it('signs in once more and retries when Nova answers 401', async () => {
    // Prepare
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, [tokenReply('tok-1'), tokenReply('tok-2')]);
    cloud.on('GET', `${NOVA}/servers/detail`, [{ status: 401, file: '_v3__auth_unauthorized.json' }, { file: '_servers_detail_EMPTY.json' }]);
    const { connector } = openOn(cloud);

    // Act
    const listed = await connector.listInstances();

    // Assess
    expect(listed).toEqual([]);
    expect(tokenPosts()).toHaveLength(2);
    expect(novaLists().map((r) => r.headers['x-auth-token'])).toEqual(['tok-1', 'tok-2']);
  });

  it('gives up with a permanent authentication error after the second 401 from Nova', async () => {
    // Prepare
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, [tokenReply('tok-1'), tokenReply('tok-2')]);
    cloud.on('GET', `${NOVA}/servers/detail`, { status: 401, file: '_v3__auth_unauthorized.json' });
    const { connector } = openOn(cloud);

    // Act
    const error = await connector.listInstances().catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.permanent, message: expect.stringContaining(`authentication failed for credential ${CREDENTIAL}`) });
    expect(novaLists()).toHaveLength(2);
  });

  it('turns a 401 from Keystone into a permanent authentication error with the cloud message as cause and no secret', async () => {
    // Prepare
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, { status: 401, file: '_v3__auth_unauthorized.json' });
    const { connector } = openOn(cloud);

    // Act
    const error = (await connector.listInstances().catch((e: Error) => e)) as Error;

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toMatch(new RegExp(`^authentication failed for credential ${CREDENTIAL}`));
    expect(String(error.cause)).toContain('The request you have made requires authentication.');
    expect(`${error.message} ${String(error.cause)}`).not.toContain(PASSWORD);
    expect(novaLists()).toEqual([]);
  });

  it('tries Keystone again on the next call after a failed sign-in', async () => {
    // Prepare
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, [{ status: 503, body: 'Service Unavailable' }, tokenReply('tok-2')]);
    const { connector } = openOn(cloud);
    const first = await connector.listInstances().catch((e: Error) => e);

    // Act
    const second = await connector.listInstances();

    // Assess
    expect(first).toMatchObject({ name: CLOUD_ERROR.transient });
    expect(second).toEqual([]);
  });

  it('takes the rate budget before every request, Keystone included', async () => {
    // Prepare
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, tokenReply('tok-1'));
    const { connector, budget } = openOn(cloud);

    // Act
    await connector.listInstances();
    await connector.listInstances();

    // Assess
    expect(budget.taken).toBe(cloud.requests.length);
    expect(budget.taken).toBe(3);
  });
});

describe('the service catalog', () => {
  it("calls Nova at the public URL of the connector's region, never the internal one", async () => {
    // Prepare
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, tokenReply('tok-1'));
    const { connector } = openOn(cloud);

    // Act
    await connector.listInstances();

    // Assess
    expect(novaLists()).toHaveLength(1);
    expect(cloud.requests.some((r) => r.path.startsWith('/controller-'))).toBe(false);
  });

  it('refuses a region the catalog does not have, naming the regions it has', async () => {
    // Prepare
    cloud.on('POST', `${KEYSTONE}/auth/tokens`, tokenReply('tok-1'));
    const { connector } = openOn(cloud, { region: 'RegionTwo' });

    // Act
    const error = (await connector.listInstances().catch((e: Error) => e)) as Error;

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toMatch(/no public compute endpoint in region RegionTwo.*regionOne/);
  });
});
