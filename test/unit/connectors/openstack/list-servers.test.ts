/**
 * What the connector makes of recorded `GET /servers/detail` replies: only
 * Slipway-tagged servers, their ids, generic and raw states and addresses, the
 * ERROR-state server, empty lists, and every page of a paginated list.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD_ERROR } from '#connectors/errors';
import { clearTokenCache } from '#connectors/openstack/token-cache';
import { KEYSTONE, NOVA, errorServerListAndShow, fixture, startFixtureCloud, tokenReply, withTags, type FixtureCloud } from './support/fixture-cloud';
import { openOn } from './support/open';

let cloud: FixtureCloud;
const web1 = { run: 'run-a', node: 'web', index: 1 };
const db1 = { run: 'run-b', node: 'db', index: 1 };

beforeEach(async () => {
  clearTokenCache();
  cloud = await startFixtureCloud();
  cloud.on('POST', `${KEYSTONE}/auth/tokens`, tokenReply('tok-1'));
});

afterEach(async () => {
  await cloud.close();
});

describe('listInstances on recorded replies', () => {
  it('leaves out servers that carry no Slipway tag', async () => {
    // Prepare
    cloud.on('GET', `${NOVA}/servers/detail`, { file: '_servers_detail.json' });
    const { connector } = openOn(cloud);

    // Act
    const listed = await connector.listInstances();

    // Assess
    expect(listed).toEqual([]);
  });

  it('answers an empty list with no instances', async () => {
    // Prepare
    cloud.on('GET', `${NOVA}/servers/detail`, { file: '_servers_detail_EMPTY.json' });
    const { connector } = openOn(cloud);

    // Act
    const listed = await connector.listInstances();

    // Assess
    expect(listed).toEqual([]);
  });

  it('reports each tagged server with its id as a string, its tag, states and address', async () => {
    // Prepare
    cloud.on('GET', `${NOVA}/servers/detail`, { body: withTags('_servers_detail.json', { 12064: web1, 12065: db1 }) });
    const { connector } = openOn(cloud);

    // Act
    const listed = await connector.listInstances();

    // Assess
    expect(listed).toEqual([
      { cloudId: '12065', tag: db1, state: 'pending', rawState: 'BUILD (active/spawning)', ip: '192.168.3.3' },
      { cloudId: '12064', tag: web1, state: 'running', rawState: 'ACTIVE (active/spawning)', ip: '50.57.94.30' },
    ]);
  });

  it("reports a server in ERROR as error, with the fault's message in the raw state", async () => {
    // Prepare
    cloud.on('GET', `${NOVA}/servers/detail`, { body: withTags('_servers_detail_ERROR_STATE.json', { '2d05bd68-3fbb-4b47-9f38-c690a5d93e45': web1 }) });
    const { connector } = openOn(cloud);

    // Act
    const [vm] = await connector.listInstances();

    // Assess
    expect(vm).toMatchObject({ cloudId: '2d05bd68-3fbb-4b47-9f38-c690a5d93e45', state: 'error', ip: '192.168.3.4' });
    expect(vm!.rawState).toMatch(/^ERROR \(error\): The server has either erred/);
  });

  it("reads an ERROR server's fault from its show reply, as Nova's list leaves it out", async () => {
    // Prepare
    const failed = errorServerListAndShow(web1);
    cloud.on('GET', `${NOVA}/servers/detail`, { body: failed.list });
    cloud.on('GET', `${NOVA}/servers/${failed.id}`, { body: failed.show });
    const { connector } = openOn(cloud);

    // Act
    const [vm] = await connector.listInstances();

    // Assess
    expect(vm).toMatchObject({ state: 'error', rawState: 'ERROR (error): No valid host was found.' });
  });

  it('asks for no fault of servers that are not Slipway’s', async () => {
    // Prepare
    cloud.on('GET', `${NOVA}/servers/detail`, { file: '_servers_detail_ERROR_STATE.json' });
    const { connector } = openOn(cloud);

    // Act
    await connector.listInstances();

    // Assess
    expect(cloud.requests.filter((r) => r.path.startsWith(`${NOVA}/servers/`) && r.path !== `${NOVA}/servers/detail`)).toEqual([]);
  });

  it('keeps only the asked run, and asks Nova to narrow by the run’s server names', async () => {
    // Prepare
    cloud.on('GET', `${NOVA}/servers/detail`, { body: withTags('_servers_detail.json', { 12064: web1, 12065: db1 }) });
    const { connector } = openOn(cloud);

    // Act
    const listed = await connector.listInstances({ run: 'run-a' });

    // Assess
    expect(listed.map((vm) => vm.cloudId)).toEqual(['12064']);
    expect(cloud.requests.at(-1)!.query.get('name')).toBe('^slipway-run-a-');
  });

  it('follows the next link of servers_links until the last page', async () => {
    // Prepare
    const next = [{ rel: 'next', href: 'http://nova.behind.proxy:8774/v2/x/servers/detail?limit=2&marker=12064' }];
    cloud.on('GET', `${NOVA}/servers/detail`, { body: withTags('_servers_detail.json', { 12064: web1, 12065: db1 }, { servers_links: next }) });
    cloud.on(
      'GET',
      `${NOVA}/servers/detail`,
      { body: withTags('_servers_detail_ERROR_STATE.json', { '2d05bd68-3fbb-4b47-9f38-c690a5d93e45': web1 }) },
      { marker: '12064' },
    );
    const { connector } = openOn(cloud);

    // Act
    const listed = await connector.listInstances();

    // Assess
    expect(listed.map((vm) => vm.cloudId)).toEqual(['12065', '12064', '2d05bd68-3fbb-4b47-9f38-c690a5d93e45']);
    expect(cloud.requests.filter((r) => r.path === `${NOVA}/servers/detail`).map((r) => r.query.get('marker'))).toEqual([null, '12064']);
  });

  it('reports a 200 whose body is not JSON (a proxy page) as a transient failure', async () => {
    // Prepare
    cloud.on('GET', `${NOVA}/servers/detail`, { body: '<html><body>Gateway maintenance</body></html>', headers: { 'content-type': 'text/html' } });
    const { connector } = openOn(cloud);

    // Act
    const error = await connector.listInstances().catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: CLOUD_ERROR.transient, message: expect.stringContaining('not JSON') });
  });

  it('reads the recorded show reply of a fresh server as pending with no address yet', async () => {
    // Prepare: the show reply of a server right after its create, served as a one-server list.
    const { server } = JSON.parse(fixture('_servers_26f7fbee_8ce1_4c28_887a_bfe8e4bb10fe.json')) as { server: { metadata: Record<string, string> } };
    server.metadata = { ...server.metadata, 'slipway-run': 'run-a', 'slipway-node': 'web', 'slipway-index': '1' };
    cloud.on('GET', `${NOVA}/servers/detail`, { body: JSON.stringify({ servers: [server] }) });
    const { connector } = openOn(cloud);

    // Act
    const listed = await connector.listInstances();

    // Assess
    expect(listed).toEqual([{ cloudId: '26f7fbee-8ce1-4c28-887a-bfe8e4bb10fe', tag: web1, state: 'pending', rawState: 'BUILD' }]);
  });
});
