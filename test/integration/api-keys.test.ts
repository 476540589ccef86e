/**
 * API keys: several per user, listed by id and prefix (never the key), revoked one by
 * one, optionally expiring; each user manages their own, an admin anyone's; logs name a
 * key by its prefix only. Through the users handler over DynamoDB Local, every response
 * checked against the OpenAPI document.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newSecretToken } from '#functions/commons/api-keys';
import { logger } from '#functions/commons/observability';
import { userRoutes } from '#functions/http/api/users';
import { httpHandler } from '#functions/http/kit/http-handler';
import { seedAdmin } from '#functions/store/users';
import { invoke as invokeHandler, startTestStack, type TestStack } from '#test/support/invoke';
import { routeTableChecker } from '#test/support/openapi-check';

async function invoke(...args: Parameters<typeof invokeHandler>): ReturnType<typeof invokeHandler> {
  const response = await invokeHandler(...args);
  const [method = 'GET', path = '/'] = args[1].split(' ');
  routeTableChecker().check(method, path, { ...response, contentType: response.headers['content-type'] ?? '' });
  return response;
}

let stack: TestStack;
let adminKey: string;
let users: ReturnType<typeof httpHandler>;

beforeAll(async () => {
  stack = await startTestStack();
  adminKey = newSecretToken('slw');
  await seedAdmin(stack.table, adminKey, new Date());
  users = httpHandler(userRoutes, () => stack.deps);
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => {
  stack.setNow(new Date());
  vi.restoreAllMocks();
});

interface Key {
  id: string;
  prefix?: string;
  createdAt: string;
  expiresAt?: string;
}
type Made = { apiKey: string; key: Key };

let counter = 0;
async function newUser(): Promise<{ id: string; apiKey: string; key: Key }> {
  const response = await invoke(users, 'POST /v1/users', { apiKey: adminKey, body: { name: `keyholder-${++counter}` } });
  return response.body as { id: string; apiKey: string; key: Key };
}

const makeKey = (apiKey: string, id: string, body?: object) => invoke(users, 'POST /v1/users/{id}/keys', { apiKey, pathParameters: { id }, body });
const listKeys = (apiKey: string, id: string) => invoke(users, 'GET /v1/users/{id}/keys', { apiKey, pathParameters: { id } });
const revoke = (apiKey: string, id: string, keyId: string) => invoke(users, 'DELETE /v1/users/{id}/keys/{keyId}', { apiKey, pathParameters: { id, keyId } });
/** A request that only a valid key gets through: the user's own key list. */
const opens = async (apiKey: string, id: string) => (await listKeys(apiKey, id)).status;

describe("a user's own API keys", () => {
  it('are listed by id, prefix and creation time, never the keys themselves', async () => {
    // Prepare
    const alice = await newUser();
    const second = (await makeKey(alice.apiKey, alice.id)).body as Made;

    // Act
    const listed = await listKeys(alice.apiKey, alice.id);

    // Assess
    expect(listed.status).toBe(200);
    expect((listed.body as { items: Key[] }).items).toEqual([
      { id: alice.key.id, prefix: alice.apiKey.slice(0, 12), createdAt: expect.any(String) },
      { id: second.key.id, prefix: second.apiKey.slice(0, 12), createdAt: expect.any(String) },
    ]);
    expect(listed.text).not.toContain(alice.apiKey);
    expect(listed.text).not.toContain(second.apiKey);
  });

  it('can be added by the user, not only by an admin', async () => {
    // Prepare
    const bob = await newUser();

    // Act
    const made = await makeKey(bob.apiKey, bob.id);

    // Assess
    expect(made.status).toBe(201);
    expect(await opens((made.body as Made).apiKey, bob.id)).toBe(200);
  });

  it('stop working one by one when revoked, the others keep working', async () => {
    // Prepare
    const carol = await newUser();
    const second = (await makeKey(carol.apiKey, carol.id)).body as Made;

    // Act
    const revoked = await revoke(carol.apiKey, carol.id, carol.key.id);

    // Assess
    expect(revoked.status).toBe(204);
    expect(await opens(carol.apiKey, carol.id)).toBe(401);
    expect(await opens(second.apiKey, carol.id)).toBe(200);
    expect(((await listKeys(second.apiKey, carol.id)).body as { items: Key[] }).items.map((k) => k.id)).toEqual([second.key.id]);
  });

  it("are another user's to see or change: 403 for anyone but them or an admin", async () => {
    // Prepare
    const dave = await newUser();
    const eve = await newUser();

    // Act
    const statuses = [
      (await listKeys(eve.apiKey, dave.id)).status,
      (await makeKey(eve.apiKey, dave.id)).status,
      (await revoke(eve.apiKey, dave.id, dave.key.id)).status,
    ];

    // Assess
    expect(statuses).toEqual([403, 403, 403]);
    expect(await opens(dave.apiKey, dave.id)).toBe(200);
  });

  it('are revoked by an admin too', async () => {
    // Prepare
    const frank = await newUser();

    // Act
    const revoked = await revoke(adminKey, frank.id, frank.key.id);

    // Assess
    expect(revoked.status).toBe(204);
    expect(await opens(frank.apiKey, frank.id)).toBe(401);
  });

  it('that do not exist cannot be revoked (404)', async () => {
    // Prepare
    const grace = await newUser();

    // Act
    const revoked = await revoke(grace.apiKey, grace.id, 'key_0000000000000000');

    // Assess
    expect(revoked.status).toBe(404);
  });
});

describe('an API key with an expiry', () => {
  it('works until its expiresAt, which the list shows', async () => {
    // Prepare
    const heidi = await newUser();
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();

    // Act
    const made = (await makeKey(heidi.apiKey, heidi.id, { expiresAt })).body as Made;

    // Assess
    expect(made.key.expiresAt).toBe(expiresAt);
    expect(await opens(made.apiKey, heidi.id)).toBe(200);
  });

  it('gets 401 once its expiresAt has passed', async () => {
    // Prepare: made an hour ago, to expire half an hour ago
    const ivan = await newUser();
    const hourAgo = Date.now() - 3_600_000;
    stack.setNow(new Date(hourAgo));
    const made = (await makeKey(ivan.apiKey, ivan.id, { expiresAt: new Date(hourAgo + 1_800_000).toISOString() })).body as Made;
    stack.setNow(new Date());

    // Act
    const reply = await listKeys(made.apiKey, ivan.id);

    // Assess
    expect(reply.status).toBe(401);
    expect((reply.body as { detail: string }).detail).toMatch(/expired/);
  });

  it('is refused at creation when that time has passed already', async () => {
    // Prepare
    const judy = await newUser();

    // Act
    const made = await makeKey(judy.apiKey, judy.id, { expiresAt: new Date(Date.now() - 1000).toISOString() });

    // Assess
    expect(made.status).toBe(400);
    expect((made.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['body.expiresAt']);
  });
});

describe('request logs', () => {
  it('name the key by its prefix and never hold the key', async () => {
    // Prepare
    const mallory = await newUser();
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const level = logger.getLevelName();
    logger.setLogLevel('INFO');
    // The middleware puts the suite's level (SILENT) back at each invocation: keep INFO for this one.
    vi.spyOn(logger, 'refreshSampleRateCalculation').mockImplementation(() => undefined);

    // Act
    await listKeys(mallory.apiKey, mallory.id).finally(() => logger.setLogLevel(level));

    // Assess
    const logged = lines.flatMap((l) => l.split('\n')).filter((l) => l.includes('"message":"request"'));
    expect(logged.map((l) => (JSON.parse(l) as { keyPrefix?: string }).keyPrefix)).toEqual([mallory.apiKey.slice(0, 12)]);
    expect(lines.join('')).not.toContain(mallory.apiKey);
  });
});
