/** The meta function serves health and the OpenAPI document, so it alone imports every route's schemas. */
import { httpHandler } from './kit/http-handler';
import { metaRoutes } from './api/meta';
import { userRoutes } from './api/users';
import { connectorRoutes } from './api/connectors';
import { credentialRoutes } from './api/credentials';
import { imageRoutes } from './api/images';
import { deploymentRoutes } from './api/deployments';
import { runRoutes } from './api/runs';
import { quotaRoutes } from './api/quotas';

const routes = metaRoutes(() => [...routes, ...userRoutes, ...connectorRoutes, ...credentialRoutes, ...imageRoutes, ...deploymentRoutes, ...runRoutes, ...quotaRoutes]);

export const handler = httpHandler(routes);
