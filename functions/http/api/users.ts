/**
 * Routes of `/v1/users`: users (admin only) and their API keys, shown once. An admin
 * manages anyone's keys; a user manages their own (list, add, revoke), so automation can
 * rotate its key without an admin.
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#functions/domain/errors';
import { userOf, type Caller } from '#functions/http/kit/auth';
import { route, type RouteSpec } from '#functions/http/kit/route';
import { IdParams } from '#functions/schemas/common';
import { ApiKeyPage, ApiKeyParams, CreateApiKeyBody, CreateUserBody, User, UserListQuery, UserPage, UserWithKey } from '#functions/schemas/users';
import { listApiKeys, revokeApiKey } from '#functions/store/user-keys';
import { addApiKey, createUser, deleteUser, getUser, listUsers } from '#functions/store/users';

/**
 * The user whose resources a read is for: the caller, or for an admin the one
 * named by `?user=`. A user naming someone else is refused.
 * @throws ForbiddenError when a non-admin asks for another user
 */
export function readerFor(caller: Caller, requested: string | undefined): string {
  const { userId, isAdmin } = userOf(caller);
  if (requested !== undefined && requested !== userId && !isAdmin) throw new ForbiddenError("Only an admin may read another user's data");
  return requested ?? userId;
}

const Params = IdParams.strict();

/**
 * Checks that the caller may manage the keys of user `id`: an admin, or that user.
 * @throws ForbiddenError for anyone else (user ids are not secret, so not 404)
 */
function keysOf(caller: Caller, id: string): string {
  const { userId, isAdmin } = userOf(caller);
  if (!isAdmin && id !== userId) throw new ForbiddenError("Only an admin may manage another user's API keys");
  return id;
}

export const userRoutes: RouteSpec[] = [
  route({
    key: 'POST /v1/users',
    operationId: 'createUser',
    summary: 'Create a user; the response holds their first API key, shown this once',
    access: 'admin',
    body: CreateUserBody,
    response: UserWithKey,
    handle: ({ caller, body }, deps) => createUser(deps.table, { ...body, owner: userOf(caller).userId }, deps.now()),
  }),
  route({
    key: 'GET /v1/users',
    operationId: 'listUsers',
    summary: 'List users, oldest first',
    access: 'admin',
    query: UserListQuery,
    response: UserPage,
    handle: ({ query }, deps) => listUsers(deps.table, query),
  }),
  route({
    key: 'GET /v1/users/{id}',
    operationId: 'getUser',
    summary: 'Read a user (their API keys are never shown again)',
    access: 'admin',
    params: Params,
    response: User,
    handle: async ({ params }, deps) => {
      const user = await getUser(deps.table, params.id);
      if (!user) throw new NotFoundError('user not found');
      return user;
    },
  }),
  route({
    key: 'DELETE /v1/users/{id}',
    operationId: 'deleteUser',
    errors: [409],
    summary: 'Delete a user and every API key they hold',
    access: 'admin',
    params: Params,
    status: 204,
    handle: async ({ caller, params }, deps) => {
      // An admin deleting themselves could leave no admin at all.
      if (params.id === userOf(caller).userId) throw new ConflictError('An admin cannot delete their own user');
      await deleteUser(deps.table, params.id);
      return undefined;
    },
  }),
  route({
    key: 'POST /v1/users/{id}/keys',
    operationId: 'createApiKey',
    summary: "Make another API key (yours, or as an admin anyone's), shown this once; `expiresAt` makes it stop working then",
    access: 'user',
    params: Params,
    body: CreateApiKeyBody,
    response: UserWithKey,
    errors: [409],
    handle: ({ caller, params, body }, deps) => {
      const expiresAt = body?.expiresAt && new Date(body.expiresAt).toISOString();
      if (expiresAt && expiresAt <= deps.now().toISOString()) {
        throw new ValidationError('The key would never work', [{ path: 'body.expiresAt', message: 'must be in the future' }]);
      }
      return addApiKey(deps.table, keysOf(caller, params.id), { expiresAt }, deps.now());
    },
  }),
  route({
    key: 'GET /v1/users/{id}/keys',
    operationId: 'listApiKeys',
    summary: "List a user's API keys (yours, or as an admin anyone's): ids, prefixes and expiry, never the keys",
    access: 'user',
    params: Params,
    response: ApiKeyPage,
    handle: async ({ caller, params }, deps) => ({ items: await listApiKeys(deps.table, keysOf(caller, params.id)), nextCursor: null }),
  }),
  route({
    key: 'DELETE /v1/users/{id}/keys/{keyId}',
    operationId: 'revokeApiKey',
    summary: "Revoke one API key (yours, or as an admin anyone's): it gets 401 from then on",
    access: 'user',
    params: ApiKeyParams,
    status: 204,
    errors: [409],
    handle: async ({ caller, params }, deps) => {
      await revokeApiKey(deps.table, keysOf(caller, params.id), params.keyId, deps.now());
      return undefined;
    },
  }),
];
