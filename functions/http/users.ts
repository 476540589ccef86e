/** Lambda for `/v1/users` (admin only); a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { userRoutes } from '#functions/http/api/users';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(userRoutes, depsFor('users'));
