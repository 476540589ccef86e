/** The meta function serves health and the prebuilt OpenAPI document: it imports no other route. */
import { depsFor } from '#functions/commons/deps';
import { metaRoutes } from '#functions/http/api/meta';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(metaRoutes, depsFor('meta'));
