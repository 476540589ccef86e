/** Lambda for the app store's catalog: `/v1/products`, `/v1/stores` and `/v1/prices`; a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { catalogRoutes } from '#functions/http/api/catalog';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(catalogRoutes, depsFor('catalog'));
