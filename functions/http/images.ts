/** Lambda for `/v1/images` and image builds (`/v1/builds`); a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { buildRoutes } from '#functions/http/api/builds';
import { imageRoutes } from '#functions/http/api/images';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler([...imageRoutes, ...buildRoutes], depsFor('images'));
