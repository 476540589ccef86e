/** Routes of `/v1/users` (admin only): users and their API keys, shown once. */
import { ConflictError, ForbiddenError, NotFoundError } from '#functions/domain/errors';
import { userOf, type Caller } from '#functions/http/kit/auth';
import { route, type RouteSpec } from '#functions/http/kit/route';
import { IdParams } from '#functions/schemas/common';
import { CreateUserBody, User, UserListQuery, UserPage, UserWithKey } from '#functions/schemas/users';
import { addApiKey, createUser, deleteUser, getUser, listUsers } from '#functions/store/users';

/**
 * The user whose resources a read is for: the caller, or for an admin the one
 * named by `?user=`. A user naming someone else is refused.
 * @throws ForbiddenError when a non-admin asks for another user
 */
export function readerFor(caller: Caller, requested: string | undefined): string {
  const { userId, isAdmin } = userOf(caller);
  if (requested !== undefined && requested !== userId && !isAdmin) throw new ForbiddenError('Only an admin may read another user\'s data');
  return requested ?? userId;
}

const Params = IdParams.strict();

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
    summary: 'Make another API key for a user, shown this once',
    access: 'admin',
    params: Params,
    response: UserWithKey,
    handle: ({ params }, deps) => addApiKey(deps.table, params.id, deps.now()),
  }),
];
