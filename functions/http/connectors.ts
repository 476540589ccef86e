/** Lambda for `/v1/connectors` and `/v1/connector-kinds`; a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { connectorLookupRoutes } from '#functions/http/api/connector-lookups';
import { connectorRoutes } from '#functions/http/api/connectors';
import { orphanRoutes } from '#functions/http/api/orphans';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler([...connectorRoutes, ...connectorLookupRoutes, ...orphanRoutes], depsFor('connectors'));
