/** Lambda for `/v1/images`; a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { imageRoutes } from '#functions/http/api/images';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(imageRoutes, depsFor('images'));
