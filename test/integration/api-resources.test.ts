/**
 * Users, connectors, credentials, quotas and usage through their Lambda handlers,
 * over DynamoDB Local: roles, validation, secrets, versions and idempotency. Every
 * response is checked against the OpenAPI document (status, content type, body).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { newSecretToken } from '#functions/commons/api-keys';
import { connectorRoutes } from '#functions/http/api/connectors';
import { credentialRoutes } from '#functions/http/api/credentials';
import { quotaRoutes } from '#functions/http/api/quotas';
import { userRoutes } from '#functions/http/api/users';
import { httpHandler } from '#functions/http/kit/http-handler';
import { idempotent } from '#functions/http/kit/idempotency';
import { credentialFor, openSecrets } from '#functions/store/credentials';
import { keys } from '#functions/store/keys';
import { quotaFor } from '#functions/store/quotas';
import { ADMIN_USER_ID, seedAdmin } from '#functions/store/users';
import { invoke as invokeHandler, startTestStack, type Request, type TestStack } from '#test/support/invoke';
import { routeTableChecker } from '#test/support/openapi-check';

/** Calls a handler and checks its response against the document, as a client generated from it would expect. */
async function invoke(...args: Parameters<typeof invokeHandler>): ReturnType<typeof invokeHandler> {
  const response = await invokeHandler(...args);
  const [method = 'GET', path = '/'] = args[1].split(' ');
  routeTableChecker().check(method, path, { ...response, contentType: response.headers['content-type'] ?? '' });
  return response;
}

let stack: TestStack;
let adminKey: string;
let users: ReturnType<typeof httpHandler>;
let connectors: ReturnType<typeof httpHandler>;
let credentials: ReturnType<typeof httpHandler>;
let quotas: ReturnType<typeof httpHandler>;

beforeAll(async () => {
  stack = await startTestStack();
  adminKey = newSecretToken('slw');
  await seedAdmin(stack.table, adminKey, new Date());
  const deps = () => stack.deps;
  users = httpHandler(userRoutes, deps);
  connectors = httpHandler(connectorRoutes, deps);
  credentials = httpHandler(credentialRoutes, deps);
  quotas = httpHandler(quotaRoutes, deps);
});

afterAll(async () => {
  await stack?.stop();
});

interface Problem {
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}
type Json = Record<string, unknown> & { id: string; version: number };
const asJson = (body: unknown) => body as Json;
const errorPaths = (body: unknown) => ((body as Problem).errors ?? []).map((e) => e.path).sort();

let counter = 0;
/** A name no other test uses. */
const unique = (prefix: string) => `${prefix}-${++counter}`;

async function newUser(role: 'admin' | 'user' = 'user'): Promise<{ id: string; apiKey: string }> {
  const response = await invoke(users, 'POST /v1/users', { apiKey: adminKey, body: { name: unique('user'), role } });
  expect(response.status).toBe(201);
  const body = response.body as { id: string; apiKey: string };
  return { id: body.id, apiKey: body.apiKey };
}

const simConnector = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'sim',
  defaultQuotaVms: 4,
  maxIaasWorkers: 2,
  settings: { bootSeconds: 1 },
  ...extra,
});

async function newConnector(extra: Record<string, unknown> = {}): Promise<Json> {
  const response = await invoke(connectors, 'POST /v1/connectors', { apiKey: adminKey, body: simConnector(unique('sim'), extra) });
  expect(response.status).toBe(201);
  return asJson(response.body);
}

const simSecrets = (secret: string) => ({ apiKey: 'key-id', apiSecret: secret });

describe('users', () => {
  it('an admin creates a user whose API key, returned once, opens the API', async () => {
    // Act
    const created = await invoke(users, 'POST /v1/users', { apiKey: adminKey, body: { name: 'alice' } });
    const apiKey = String(asJson(created.body).apiKey);
    const withKey = await invoke(connectors, 'GET /v1/connectors', { apiKey });

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'alice', role: 'user', keyCount: 1, version: 1 });
    expect(apiKey).toMatch(/^slw_/);
    expect(withKey.status).toBe(200);
  });

  it("a user's API key cannot be read back: not from the user, not from the list", async () => {
    // Prepare
    const alice = await newUser();

    // Act
    const one = await invoke(users, 'GET /v1/users/{id}', { apiKey: adminKey, pathParameters: { id: alice.id } });
    const list = await invoke(users, 'GET /v1/users', { apiKey: adminKey, query: { limit: '100' } });

    // Assess
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('apiKey');
    expect(one.text).not.toContain(alice.apiKey);
    expect(list.text).not.toContain(alice.apiKey);
  });

  it('a request without an API key gets 401, one with an unknown key too', async () => {
    // Act
    const anonymous = await invoke(connectors, 'GET /v1/connectors');
    const unknown = await invoke(connectors, 'GET /v1/connectors', { apiKey: newSecretToken('slw') });

    // Assess
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toBe('application/problem+json');
    expect(unknown.status).toBe(401);
  });

  it("a user who is not an admin gets 403 on every admin route, and on another user's keys", async () => {
    // Prepare
    const bob = await newUser();
    const connector = await newConnector();
    const calls: [ReturnType<typeof httpHandler>, Parameters<typeof invoke>[1], Request][] = [
      [users, 'POST /v1/users', { body: { name: 'mallory' } }],
      [users, 'GET /v1/users', {}],
      [users, 'GET /v1/users/{id}', { pathParameters: { id: bob.id } }],
      [users, 'DELETE /v1/users/{id}', { pathParameters: { id: bob.id } }],
      // A user manages their own keys (api-keys.test.ts), not anyone else's.
      [users, 'POST /v1/users/{id}/keys', { pathParameters: { id: ADMIN_USER_ID } }],
      [connectors, 'POST /v1/connectors', { body: simConnector(unique('sim')) }],
      [connectors, 'PUT /v1/connectors/{name}', { pathParameters: { name: connector.id }, body: { ...simConnector(connector.id), version: 1 } }],
      [connectors, 'DELETE /v1/connectors/{name}', { pathParameters: { name: connector.id } }],
      [quotas, 'PUT /v1/quotas/{user}/{connector}', { pathParameters: { user: bob.id, connector: connector.id }, body: { maxVms: 99 } }],
    ];

    // Act
    const statuses = await Promise.all(calls.map(([handler, key, request]) => invoke(handler, key, { ...request, apiKey: bob.apiKey })));

    // Assess
    expect(statuses.map((r) => r.status)).toEqual(calls.map(() => 403));
  });

  it('another key made for a user works next to the first', async () => {
    // Prepare
    const carol = await newUser();

    // Act
    const made = await invoke(users, 'POST /v1/users/{id}/keys', { apiKey: adminKey, pathParameters: { id: carol.id } });
    const second = String(asJson(made.body).apiKey);

    // Assess
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ id: carol.id, keyCount: 2, version: 2 });
    expect(second).not.toBe(carol.apiKey);
    expect((await invoke(quotas, 'GET /v1/quotas', { apiKey: second })).status).toBe(200);
    expect((await invoke(quotas, 'GET /v1/quotas', { apiKey: carol.apiKey })).status).toBe(200);
  });

  it('deleting a user revokes every API key they held', async () => {
    // Prepare
    const dave = await newUser();
    const extra = await invoke(users, 'POST /v1/users/{id}/keys', { apiKey: adminKey, pathParameters: { id: dave.id } });

    // Act
    const deleted = await invoke(users, 'DELETE /v1/users/{id}', { apiKey: adminKey, pathParameters: { id: dave.id } });

    // Assess
    expect(deleted.status).toBe(204);
    expect((await invoke(quotas, 'GET /v1/quotas', { apiKey: dave.apiKey })).status).toBe(401);
    expect((await invoke(quotas, 'GET /v1/quotas', { apiKey: String(asJson(extra.body).apiKey) })).status).toBe(401);
    expect((await invoke(users, 'GET /v1/users/{id}', { apiKey: adminKey, pathParameters: { id: dave.id } })).status).toBe(404);
  });

  it('a retried POST /v1/users with the same Idempotency-Key returns the same user and creates one', async () => {
    // Prepare
    const name = unique('retried');
    const request = { apiKey: adminKey, body: { name }, headers: { 'Idempotency-Key': unique('key') } };

    // Act
    const first = await invoke(users, 'POST /v1/users', request);
    const retry = await invoke(users, 'POST /v1/users', request);

    // Assess
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(asJson(retry.body).id).toBe(asJson(first.body).id);
    const list = await invoke(users, 'GET /v1/users', { apiKey: adminKey, query: { limit: '100' } });
    expect((list.body as { items: Json[] }).items.filter((u) => u.name === name)).toHaveLength(1);
  });

  it('the user list is paginated with an opaque cursor', async () => {
    // Prepare
    await newUser();
    await newUser();

    // Act
    const first = await invoke(users, 'GET /v1/users', { apiKey: adminKey, query: { limit: '1' } });
    const cursor = String((first.body as { nextCursor: string }).nextCursor);
    const second = await invoke(users, 'GET /v1/users', { apiKey: adminKey, query: { limit: '1', cursor } });

    // Assess
    const [a] = (first.body as { items: Json[] }).items;
    const [b] = (second.body as { items: Json[] }).items;
    expect(a?.id).toBeDefined();
    expect(b?.id).toBeDefined();
    expect(b?.id).not.toBe(a?.id);
  });

  it('seeding the admin again with the same key changes nothing, and a new key is added next to it', async () => {
    // Prepare
    const other = newSecretToken('slw');

    // Act
    const again = await seedAdmin(stack.table, adminKey, new Date());
    const added = await seedAdmin(stack.table, other, new Date());

    // Assess
    expect(again).toBe('unchanged');
    expect(added).toBe('key-added');
    expect((await invoke(users, 'GET /v1/users', { apiKey: other })).status).toBe(200);
    expect((await invoke(users, 'GET /v1/users', { apiKey: adminKey })).status).toBe(200);
  });
});

describe('connectors', () => {
  it('a refused connector lists every bad field in one 400 and creates nothing', async () => {
    // Prepare
    const before = await invoke(connectors, 'GET /v1/connectors', { apiKey: adminKey, query: { limit: '100' } });
    const body = {
      name: 'Not A Name',
      kind: 'sim',
      endpoint: 'not a url',
      defaultQuotaVms: -1,
      maxIaasWorkers: 101,
      settings: { bootSeconds: -5, bogus: true },
    };

    // Act
    const response = await invoke(connectors, 'POST /v1/connectors', { apiKey: adminKey, body });

    // Assess
    expect(response.status).toBe(400);
    expect(errorPaths(response.body)).toEqual([
      'body.defaultQuotaVms',
      'body.endpoint',
      'body.maxIaasWorkers',
      'body.name',
      'body.settings.bogus',
      'body.settings.bootSeconds',
    ]);
    const after = await invoke(connectors, 'GET /v1/connectors', { apiKey: adminKey, query: { limit: '100' } });
    expect(after.body).toEqual(before.body);
  });

  it('a connector body that is missing or not an object gets 400, not a server error', async () => {
    // Act
    const responses = await Promise.all(
      [undefined, 'null', '[]', '"sim"'].map((body) => invoke(connectors, 'POST /v1/connectors', { apiKey: adminKey, body })),
    );

    // Assess
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(responses.map((r) => errorPaths(r.body))).toEqual([['body'], ['body'], ['body'], ['body']]);
  });

  it('an unknown connector kind is refused, naming the available kinds', async () => {
    // Act
    const response = await invoke(connectors, 'POST /v1/connectors', { apiKey: adminKey, body: simConnector(unique('vm'), { kind: 'vmware' }) });

    // Assess
    expect(response.status).toBe(400);
    expect((response.body as Problem).errors).toEqual([{ path: 'body.kind', message: expect.stringContaining('available: sim') }]);
  });

  it('an unknown field on a connector is refused', async () => {
    // Act
    const response = await invoke(connectors, 'POST /v1/connectors', { apiKey: adminKey, body: simConnector(unique('sim'), { colour: 'blue' }) });

    // Assess
    expect(response.status).toBe(400);
    expect((response.body as Problem).errors?.[0]?.message).toContain('colour');
  });

  it("a connector is stored with its kind's default settings filled in, and every user can read it", async () => {
    // Prepare
    const erin = await newUser();
    const created = await newConnector({ settings: { bootSeconds: 2 } });

    // Act
    const read = await invoke(connectors, 'GET /v1/connectors/{name}', { apiKey: erin.apiKey, pathParameters: { name: created.id } });

    // Assess
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created);
    expect(asJson(read.body).settings).toEqual({ bootSeconds: 2, transientFailureRate: 0, permanentFailureRate: 0, seed: 1 });
  });

  it('a second connector with the same name gets 409', async () => {
    // Prepare
    const existing = await newConnector();

    // Act
    const response = await invoke(connectors, 'POST /v1/connectors', { apiKey: adminKey, body: simConnector(existing.id) });

    // Assess
    expect(response.status).toBe(409);
  });

  it('a connector update with a stale version gets 409 and changes nothing', async () => {
    // Prepare
    const connector = await newConnector({ zone: 'ch-gva-2' });
    const update = (version: number, defaultQuotaVms: number) =>
      invoke(connectors, 'PUT /v1/connectors/{name}', {
        apiKey: adminKey,
        pathParameters: { name: connector.id },
        body: { kind: 'sim', defaultQuotaVms, maxIaasWorkers: 2, version },
      });

    // Act
    const fresh = await update(1, 10);
    const stale = await update(1, 20);

    // Assess
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ version: 2, defaultQuotaVms: 10, settings: { bootSeconds: 5 } });
    expect(fresh.body).not.toHaveProperty('zone');
    expect(stale.status).toBe(409);
    const read = await invoke(connectors, 'GET /v1/connectors/{name}', { apiKey: adminKey, pathParameters: { name: connector.id } });
    expect(read.body).toMatchObject({ version: 2, defaultQuotaVms: 10 });
  });

  it("a connector's kind cannot change", async () => {
    // Prepare
    const connector = await newConnector();

    // Act
    const response = await invoke(connectors, 'PUT /v1/connectors/{name}', {
      apiKey: adminKey,
      pathParameters: { name: connector.id },
      body: { kind: 'openstack', defaultQuotaVms: 1, maxIaasWorkers: 1, version: 1 },
    });

    // Assess: the body is a valid openstack connector, so only the guard can refuse it
    expect(response.status).toBe(400);
    expect(errorPaths(response.body)).toEqual(['body.kind']);
    expect((response.body as { errors: { message: string }[] }).errors[0]!.message).toBe(
      "a connector's kind cannot change (it is sim): create another connector",
    );
  });

  it('a deleted connector is gone', async () => {
    // Prepare
    const connector = await newConnector();

    // Act
    const deleted = await invoke(connectors, 'DELETE /v1/connectors/{name}', { apiKey: adminKey, pathParameters: { name: connector.id } });

    // Assess
    expect(deleted.status).toBe(204);
    expect((await invoke(connectors, 'GET /v1/connectors/{name}', { apiKey: adminKey, pathParameters: { name: connector.id } })).status).toBe(404);
  });
});

describe('credentials', () => {
  it('credential secrets never appear in any response', async () => {
    // Prepare
    const frank = await newUser();
    const connector = await newConnector();
    const secret = `first-${newSecretToken('slw')}`;
    const replacement = `second-${newSecretToken('slw')}`;
    const as = { apiKey: frank.apiKey };

    // Act
    const created = await invoke(credentials, 'POST /v1/credentials', { ...as, body: { connector: connector.id, secrets: simSecrets(secret) } });
    const id = asJson(created.body).id;
    const responses = [
      created,
      await invoke(credentials, 'GET /v1/credentials/{id}', { ...as, pathParameters: { id } }),
      await invoke(credentials, 'GET /v1/credentials', as),
      await invoke(credentials, 'GET /v1/credentials', { apiKey: adminKey }),
      await invoke(credentials, 'PUT /v1/credentials/{id}', { ...as, pathParameters: { id }, body: { secrets: simSecrets(replacement), version: 1 } }),
    ];

    // Assess
    expect(responses.map((r) => r.status)).toEqual([201, 200, 200, 200, 200]);
    expect(created.body).toMatchObject({ connector: connector.id, kind: 'sim', owner: frank.id, secretFields: ['apiKey', 'apiSecret'] });
    for (const response of responses) {
      expect(response.text).not.toContain(secret);
      expect(response.text).not.toContain(replacement);
      expect(response.text).not.toContain('sealed');
    }
  });

  it('credential secrets are stored sealed, never in clear, and open again for the run steps', async () => {
    // Prepare
    const grace = await newUser();
    const connector = await newConnector();
    const secret = `clear-${newSecretToken('slw')}`;

    // Act
    const created = await invoke(credentials, 'POST /v1/credentials', { apiKey: grace.apiKey, body: { connector: connector.id, secrets: simSecrets(secret) } });

    // Assess
    const raw = await stack.table.doc.send(new GetCommand({ TableName: stack.table.name, Key: keys.credential(asJson(created.body).id) }));
    expect(raw.Item).toBeDefined();
    expect(JSON.stringify(raw.Item)).not.toContain(secret);
    const stored = await credentialFor(stack.table, grace.id, connector.id);
    expect(stored?.id).toBe(asJson(created.body).id);
    expect(await openSecrets(stack.deps.cipher(), stored!.sealed)).toEqual(simSecrets(secret));
  });

  it('another user gets 404 on a credential, an admin sees it', async () => {
    // Prepare
    const owner = await newUser();
    const other = await newUser();
    const connector = await newConnector();
    const created = await invoke(credentials, 'POST /v1/credentials', { apiKey: owner.apiKey, body: { connector: connector.id, secrets: simSecrets('s') } });
    const pathParameters = { id: asJson(created.body).id };

    // Act
    const read = await invoke(credentials, 'GET /v1/credentials/{id}', { apiKey: other.apiKey, pathParameters });
    const replace = await invoke(credentials, 'PUT /v1/credentials/{id}', {
      apiKey: other.apiKey,
      pathParameters,
      body: { secrets: simSecrets('x'), version: 1 },
    });
    const remove = await invoke(credentials, 'DELETE /v1/credentials/{id}', { apiKey: other.apiKey, pathParameters });
    const list = await invoke(credentials, 'GET /v1/credentials', { apiKey: other.apiKey });
    const byAdmin = await invoke(credentials, 'GET /v1/credentials/{id}', { apiKey: adminKey, pathParameters });

    // Assess
    expect([read.status, replace.status, remove.status]).toEqual([404, 404, 404]);
    expect((list.body as { items: unknown[] }).items).toEqual([]);
    expect(byAdmin.status).toBe(200);
  });

  it('a second credential for the same connector gets 409, and deleting the first frees the slot', async () => {
    // Prepare
    const heidi = await newUser();
    const connector = await newConnector();
    const body = { connector: connector.id, secrets: simSecrets('s') };
    const first = await invoke(credentials, 'POST /v1/credentials', { apiKey: heidi.apiKey, body });

    // Act
    const duplicate = await invoke(credentials, 'POST /v1/credentials', { apiKey: heidi.apiKey, body });
    const deleted = await invoke(credentials, 'DELETE /v1/credentials/{id}', { apiKey: heidi.apiKey, pathParameters: { id: asJson(first.body).id } });
    const again = await invoke(credentials, 'POST /v1/credentials', { apiKey: heidi.apiKey, body });

    // Assess
    expect(duplicate.status).toBe(409);
    expect(deleted.status).toBe(204);
    expect(again.status).toBe(201);
  });

  it('secrets that do not fit the connector kind are listed by field, without their values', async () => {
    // Prepare
    const ivan = await newUser();
    const connector = await newConnector();
    const secrets = { apiKey: '', token: 'do-not-echo-me' };

    // Act
    const response = await invoke(credentials, 'POST /v1/credentials', { apiKey: ivan.apiKey, body: { connector: connector.id, secrets } });

    // Assess
    expect(response.status).toBe(400);
    expect(errorPaths(response.body)).toEqual(['body.secrets.apiKey', 'body.secrets.apiSecret', 'body.secrets.token']);
    expect(response.text).not.toContain('do-not-echo-me');
  });

  it('a credential for an unknown connector is refused on body.connector', async () => {
    // Prepare
    const judy = await newUser();

    // Act
    const response = await invoke(credentials, 'POST /v1/credentials', { apiKey: judy.apiKey, body: { connector: 'no-such-cloud', secrets: simSecrets('s') } });

    // Assess
    expect(response.status).toBe(400);
    expect(errorPaths(response.body)).toEqual(['body.connector']);
  });

  it('a credential update with a stale version gets 409', async () => {
    // Prepare
    const ken = await newUser();
    const connector = await newConnector();
    const created = await invoke(credentials, 'POST /v1/credentials', { apiKey: ken.apiKey, body: { connector: connector.id, secrets: simSecrets('a') } });
    const replace = (version: number) =>
      invoke(credentials, 'PUT /v1/credentials/{id}', {
        apiKey: ken.apiKey,
        pathParameters: { id: asJson(created.body).id },
        body: { secrets: simSecrets('b'), version },
      });

    // Act
    const fresh = await replace(1);
    const stale = await replace(1);

    // Assess
    expect(fresh.status).toBe(200);
    expect(asJson(fresh.body).version).toBe(2);
    expect(stale.status).toBe(409);
  });
});

describe('quotas', () => {
  const quotaOn = (body: unknown, connector: string) => (body as { items: Json[] }).items.find((q) => q.connector === connector);

  it("a user's quota is the connector's default until an admin overrides it", async () => {
    // Prepare
    const lena = await newUser();
    const connector = await newConnector({ defaultQuotaVms: 3 });
    const before = await invoke(quotas, 'GET /v1/quotas', { apiKey: lena.apiKey, query: { limit: '100' } });

    // Act
    const set = await invoke(quotas, 'PUT /v1/quotas/{user}/{connector}', {
      apiKey: adminKey,
      pathParameters: { user: lena.id, connector: connector.id },
      body: { maxVms: 7 },
    });
    const after = await invoke(quotas, 'GET /v1/quotas', { apiKey: lena.apiKey, query: { limit: '100' } });

    // Assess
    expect(quotaOn(before.body, connector.id)).toEqual({ user: lena.id, connector: connector.id, maxVms: 3, used: 0, source: 'default' });
    expect(set.status).toBe(200);
    expect(quotaOn(after.body, connector.id)).toEqual({ user: lena.id, connector: connector.id, maxVms: 7, used: 0, source: 'override' });
    expect(await quotaFor(stack.table, lena.id, connector.id)).toEqual({ maxVms: 7, used: 0, source: 'override' });
  });

  it('an override leaves the VMs in use as the run steps counted them, and null goes back to the default', async () => {
    // Prepare
    const mike = await newUser();
    const connector = await newConnector({ defaultQuotaVms: 2 });
    await stack.table.doc.send(
      new PutCommand({ TableName: stack.table.name, Item: { ...keys.quota(mike.id, connector.id), user: mike.id, connector: connector.id, used: 3 } }),
    );
    const path = { apiKey: adminKey, pathParameters: { user: mike.id, connector: connector.id } };

    // Act
    const set = await invoke(quotas, 'PUT /v1/quotas/{user}/{connector}', { ...path, body: { maxVms: 5 } });
    const reset = await invoke(quotas, 'PUT /v1/quotas/{user}/{connector}', { ...path, body: { maxVms: null } });

    // Assess
    expect(set.body).toMatchObject({ maxVms: 5, used: 3, source: 'override' });
    expect(reset.body).toMatchObject({ maxVms: 2, used: 3, source: 'default' });
  });

  it('an override for an unknown user or connector gets 404', async () => {
    // Prepare
    const nina = await newUser();
    const connector = await newConnector();

    // Act
    const noUser = await invoke(quotas, 'PUT /v1/quotas/{user}/{connector}', {
      apiKey: adminKey,
      pathParameters: { user: 'usr_nobody', connector: connector.id },
      body: { maxVms: 1 },
    });
    const noConnector = await invoke(quotas, 'PUT /v1/quotas/{user}/{connector}', {
      apiKey: adminKey,
      pathParameters: { user: nina.id, connector: 'no-such-cloud' },
      body: { maxVms: 1 },
    });

    // Assess
    expect([noUser.status, noConnector.status]).toEqual([404, 404]);
  });

  it("an admin reads another user's quotas with ?user=, a user gets 403 for it", async () => {
    // Prepare
    const oscar = await newUser();
    const peggy = await newUser();

    // Act
    const byAdmin = await invoke(quotas, 'GET /v1/quotas', { apiKey: adminKey, query: { user: oscar.id } });
    const byPeer = await invoke(quotas, 'GET /v1/quotas', { apiKey: peggy.apiKey, query: { user: oscar.id } });

    // Assess
    expect(byAdmin.status).toBe(200);
    expect((byAdmin.body as { items: Json[] }).items.every((q) => q.user === oscar.id)).toBe(true);
    expect(byPeer.status).toBe(403);
  });
});

describe('usage', () => {
  const record = (user: string, day: string, run: string) => ({
    ...keys.usage(user, day, 'sim-usage', run),
    user,
    connector: 'sim-usage',
    run,
    day,
    vmSeconds: 60,
  });

  it("usage lists the caller's records from the first day to the last, both included", async () => {
    // Prepare
    const quinn = await newUser();
    const other = await newUser();
    const items = [
      record(quinn.id, '2024-01-31', 'run_before'),
      record(quinn.id, '2024-02-01', 'run_first'),
      record(quinn.id, '2024-02-29', 'run_last'),
      record(quinn.id, '2024-03-01', 'run_after'),
      record(other.id, '2024-02-10', 'run_other'),
    ];
    await Promise.all(items.map((Item) => stack.table.doc.send(new PutCommand({ TableName: stack.table.name, Item }))));

    // Act
    const response = await invoke(quotas, 'GET /v1/usage', { apiKey: quinn.apiKey, query: { from: '2024-02-01', to: '2024-02-29' } });

    // Assess
    expect(response.status).toBe(200);
    expect((response.body as { items: Json[] }).items.map((r) => r.run)).toEqual(['run_first', 'run_last']);
    expect((response.body as { items: Json[] }).items[0]).toEqual({
      user: quinn.id,
      connector: 'sim-usage',
      run: 'run_first',
      day: '2024-02-01',
      vmSeconds: 60,
    });
  });

  it('usage days are optional (this month by default) but, when given, valid, in order, and at most 366 days apart', async () => {
    // Prepare
    const rita = await newUser();
    const ask = (query: Record<string, string>) => invoke(quotas, 'GET /v1/usage', { apiKey: rita.apiKey, query });

    // Act
    const missing = await ask({});
    const invalid = await ask({ from: '2024-02-30', to: 'yesterday' });
    const reversed = await ask({ from: '2024-03-01', to: '2024-02-01' });
    const tooLong = await ask({ from: '2024-01-01', to: '2025-01-01' });
    const leapYear = await ask({ from: '2024-01-01', to: '2024-12-31' });

    // Assess
    expect(missing.status).toBe(200);
    expect(errorPaths(invalid.body)).toEqual(['query.from', 'query.to']);
    expect(reversed.status).toBe(400);
    expect(errorPaths(reversed.body)).toEqual(['query.to']);
    expect(tooLong.status).toBe(400);
    expect(errorPaths(tooLong.body)).toEqual(['query.to']);
    expect(leapYear.status).toBe(200);
  });
});

describe('Idempotency-Key', () => {
  /** Every idempotency record in the table, as stored. */
  const storedRecords = async () =>
    (
      await stack.table.doc.send(
        new QueryCommand({
          TableName: stack.table.name,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.idempotency('http', '').pk },
        }),
      )
    ).Items ?? [];

  it('the same key with another body gets 422 problem+json and creates nothing more', async () => {
    // Prepare
    const key = unique('key');
    const first = await invoke(users, 'POST /v1/users', { apiKey: adminKey, body: { name: unique('first') }, headers: { 'Idempotency-Key': key } });
    const otherName = unique('other');

    // Act
    const reused = await invoke(users, 'POST /v1/users', { apiKey: adminKey, body: { name: otherName }, headers: { 'Idempotency-Key': key } });

    // Assess
    expect(first.status).toBe(201);
    expect(reused.status).toBe(422);
    expect(reused.headers['content-type']).toBe('application/problem+json');
    const list = await invoke(users, 'GET /v1/users', { apiKey: adminKey, query: { limit: '100' } });
    expect((list.body as { items: Json[] }).items.some((u) => u.name === otherName)).toBe(false);
  });

  it('a first attempt that failed leaves the key free for a corrected retry', async () => {
    // Prepare
    const owner = await newUser();
    const connector = await newConnector();
    const headers = { 'Idempotency-Key': unique('key') };
    const failed = await invoke(credentials, 'POST /v1/credentials', {
      apiKey: owner.apiKey,
      body: { connector: 'no-such-cloud', secrets: simSecrets('s') },
      headers,
    });

    // Act
    const retried = await invoke(credentials, 'POST /v1/credentials', {
      apiKey: owner.apiKey,
      body: { connector: connector.id, secrets: simSecrets('s') },
      headers,
    });

    // Assess
    expect(failed.status).toBe(400);
    expect(retried.status).toBe(201);
  });

  it("the stored record holds neither a credential's secret nor a new user's API key in clear", async () => {
    // Prepare
    const owner = await newUser();
    const connector = await newConnector();
    const secret = `idem-${newSecretToken('slw')}`;

    // Act
    await invoke(credentials, 'POST /v1/credentials', {
      apiKey: owner.apiKey,
      body: { connector: connector.id, secrets: simSecrets(secret) },
      headers: { 'Idempotency-Key': unique('key') },
    });
    const created = await invoke(users, 'POST /v1/users', { apiKey: adminKey, body: { name: unique('keyed') }, headers: { 'Idempotency-Key': unique('key') } });

    // Assess
    const stored = JSON.stringify(await storedRecords());
    expect(stored).toContain('COMPLETED');
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(String(asJson(created.body).apiKey));
  });

  it('a retry while the first attempt is still running gets 409', async () => {
    // Prepare
    const scope = { caller: 'usr_inflight', token: newSecretToken('slw'), routeKey: 'POST /v1/users', key: unique('key'), request: { name: 'x' } };
    let finish: () => void = () => undefined;
    const first = idempotent(
      stack.table,
      scope,
      { getRemainingTimeInMillis: () => 60_000 },
      () => new Promise((resolve) => (finish = () => resolve({ status: 201, body: {} }))),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Act
    const retry = idempotent(stack.table, scope, {}, async () => ({ status: 201, body: { again: true } }));

    // Assess
    await expect(retry).rejects.toMatchObject({ status: 409 });
    finish();
    await first;
  });

  it("a first attempt whose Lambda died does not hold its key past the invocation's deadline", async () => {
    // Prepare
    const scope = { caller: 'usr_crashed', token: newSecretToken('slw'), routeKey: 'POST /v1/users', key: unique('key'), request: { name: 'x' } };
    let finish: () => void = () => undefined;
    // Never answers while the retry runs: as if the Lambda had been killed with 50 ms left.
    const crashed = idempotent(
      stack.table,
      scope,
      { getRemainingTimeInMillis: () => 50 },
      () => new Promise((resolve) => (finish = () => resolve({ status: 201, body: {} }))),
    );
    crashed.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Act
    const retry = await idempotent(stack.table, scope, {}, async () => ({ status: 201, body: { retried: true } }));

    // Assess
    expect(retry).toEqual({ status: 201, body: { retried: true } });
    finish();
  });
});
