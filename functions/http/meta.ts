/** The meta function serves health and the OpenAPI document, so it alone imports every route's schemas. */
import { depsFor } from '#functions/commons/deps';
import { metaApiRoutes } from '#functions/http/api/all-routes';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(metaApiRoutes, depsFor('meta'));
