/**
 * Callers through the Cognito API: API Gateway's JWT authorizer has verified the
 * token, and the handler acts as the Slipway user named by the token's username,
 * with the role Slipway's table gives, for access tokens only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecretToken } from '#functions/commons/api-keys';
import { userRoutes } from '#functions/http/api/users';
import { httpHandler } from '#functions/http/kit/http-handler';
import { ADMIN_USER_ID, seedAdmin } from '#functions/store/users';
import { invoke, startTestStack, type TestStack } from '#test/support/invoke';

let stack: TestStack;
let users: ReturnType<typeof httpHandler>;
let aliceId: string;

const claims = (username: string, tokenUse = 'access') => ({ sub: `sub-${username}`, username, token_use: tokenUse, iss: 'https://cognito-idp.example/pool' });

beforeAll(async () => {
  stack = await startTestStack();
  const adminKey = newSecretToken('slw');
  await seedAdmin(stack.table, adminKey, new Date());
  users = httpHandler(userRoutes, () => stack.deps);
  aliceId = ((await invoke(users, 'POST /v1/users', { apiKey: adminKey, body: { name: 'alice' } })).body as { id: string }).id;
});

afterAll(async () => {
  await stack?.stop();
});

describe('a Cognito access token verified by the JWT authorizer', () => {
  it('acts as the Slipway user its username names, with the role from the table', async () => {
    // Act
    const asAdmin = await invoke(users, 'GET /v1/users', { jwtClaims: claims(ADMIN_USER_ID) });
    const asAlice = await invoke(users, 'GET /v1/users', { jwtClaims: claims(aliceId) });

    // Assess
    expect(asAdmin.status).toBe(200);
    expect(asAlice.status).toBe(403);
  });

  it('is refused when its username is no Slipway user', async () => {
    // Act
    const reply = await invoke(users, 'GET /v1/users', { jwtClaims: claims('usr_nobody') });

    // Assess
    expect(reply.status).toBe(401);
    expect((reply.body as { detail: string }).detail).toMatch(/not a Slipway user/);
  });

  it('is refused when it is an ID token, which also passes the authorizer', async () => {
    // Act
    const reply = await invoke(users, 'GET /v1/users', { jwtClaims: claims(ADMIN_USER_ID, 'id') });

    // Assess
    expect(reply.status).toBe(401);
  });
});
