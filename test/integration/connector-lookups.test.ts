/**
 * What a user needs to fill in native ids and credentials without a cloud console:
 * the kinds with their schemas, and images, instance types and zones asked live
 * from a connector's cloud with the caller's credential. Over HTTP, local stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTOR_KINDS } from '#connectors/contract';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { freePort } from '#infra/local/dynamodb';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser } from '#test/support/world';

let stack: LocalStack;
let api: ApiClient;
let admin: string;
let alice: { id: string; key: string };
let bob: { id: string; key: string };

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 60_000 });
  api = apiClient(stack.apiUrl);
  admin = stack.adminKey;
  alice = await createUser(api, admin, 'alice');
  bob = await createUser(api, admin, 'bob');
  await createSimConnector(api, admin, 'sim-look', {}, { zone: 'sim-zone-7' });
  await api.post('/credentials', alice.key, { connector: 'sim-look', secrets: { apiKey: 'a', apiSecret: 'b' } });
  // A cloud nobody answers for: a port that was free a moment ago.
  const closed = await freePort();
  await api.post('/connectors', admin, {
    name: 'cs-down',
    kind: 'cloudstack',
    endpoint: `http://127.0.0.1:${closed}/client/api`,
    zone: 'z1',
    defaultQuotaVms: 2,
    maxIaasWorkers: 1,
  });
  await api.post('/credentials', alice.key, { connector: 'cs-down', secrets: { apiKey: 'k', secretKey: 's' } });
});

afterAll(async () => {
  await stack?.stop();
});

describe('GET /v1/connector-kinds', () => {
  it('lists every available kind with the JSON Schema of its settings and secrets', async () => {
    // Act
    const reply = await api.get('/connector-kinds', alice.key);

    // Assess
    expect(reply.status).toBe(200);
    const byKind = Object.fromEntries(reply.body.items.map((k: { kind: string }) => [k.kind, k]));
    expect(Object.keys(byKind)).toEqual([...CONNECTOR_KINDS]);
    expect(Object.keys(byKind.sim.settings.properties)).toEqual(
      expect.arrayContaining(['bootSeconds', 'transientFailureRate', 'permanentFailureRate', 'seed']),
    );
    expect(Object.keys(byKind.openstack.secrets.properties).sort()).toEqual(['password', 'projectDomainName', 'projectName', 'userDomainName', 'username']);
    expect(Object.keys(byKind.ec2.secrets.properties).sort()).toEqual(['accessKeyId', 'secretAccessKey']);
    expect(Object.keys(byKind.cloudstack.secrets.properties).sort()).toEqual(['apiKey', 'secretKey']);
    expect(Object.keys(byKind.opennebula.secrets.properties).sort()).toEqual(['password', 'username']);
  });

  it('needs an API key', async () => {
    // Act
    const reply = await api.get('/connector-kinds');

    // Assess
    expect(reply.status).toBe(401);
  });
});

describe('GET /v1/connectors/{name}/images | instance-types | zones', () => {
  it("answers from the cloud with the caller's own credential", async () => {
    // Act
    const ask = (what: string) => api.get(`/connectors/sim-look/${what}`, alice.key);
    const [images, types, zones] = await Promise.all([ask('images'), ask('instance-types'), ask('zones')]);

    // Assess
    expect(images.status).toBe(200);
    expect(images.body.items.map((i: { id: string }) => i.id)).toContain('sim-ubuntu-22.04');
    expect(types.body.items).toContainEqual(expect.objectContaining({ id: 'small', cpu: 1, ramMb: 1024 }));
    expect(zones.body.items).toEqual([{ id: 'sim-zone-7', name: 'sim-zone-7' }]);
  });

  it('refuses a user who has no credential for the connector, saying how to add one', async () => {
    // Act
    const reply = await api.get('/connectors/sim-look/images', bob.key);

    // Assess
    expect(reply.status).toBe(403);
    expect(reply.body.detail).toMatch(/no credential for connector sim-look/);
  });

  it("lets an admin ask with a named user's credential", async () => {
    // Prepare
    const credential = (await api.get('/credentials', alice.key)).body.items.find((c: { connector: string }) => c.connector === 'sim-look');

    // Act
    const reply = await api.get(`/connectors/sim-look/zones?credential=${credential.id}`, admin);

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(1);
  });

  it("does not let a user ask with another user's credential", async () => {
    // Prepare
    const credential = (await api.get('/credentials', alice.key)).body.items.find((c: { connector: string }) => c.connector === 'sim-look');

    // Act
    const reply = await api.get(`/connectors/sim-look/zones?credential=${credential.id}`, bob.key);

    // Assess
    expect(reply.status).toBe(404);
  });

  it('answers 503 with the reason when the cloud cannot be reached', async () => {
    // Act
    const reply = await api.get('/connectors/cs-down/zones', alice.key);

    // Assess
    expect(reply.status).toBe(503);
    expect(reply.contentType).toContain('application/problem+json');
    expect(reply.body.detail).toMatch(/could not reach the cloud|timed out/);
  });

  it('answers 404 for a connector that does not exist', async () => {
    // Act
    const reply = await api.get('/connectors/nope/images', alice.key);

    // Assess
    expect(reply.status).toBe(404);
  });
});
