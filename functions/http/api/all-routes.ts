/** Every route of the API, in the document's order: what `npm run openapi` documents. */
import type { RouteSpec } from '#functions/http/kit/route';
import { billingRoutes } from './billing';
import { catalogRoutes } from './catalog';
import { connectorLookupRoutes } from './connector-lookups';
import { connectorRoutes } from './connectors';
import { orderRoutes } from './orders';
import { orphanRoutes } from './orphans';
import { credentialRoutes } from './credentials';
import { deploymentRoutes } from './deployments';
import { projectRoutes } from './projects';
import { imageRoutes } from './images';
import { buildRoutes } from './builds';
import { metaRoutes } from './meta';
import { quotaRoutes } from './quotas';
import { runRoutes } from './runs';
import { userRoutes } from './users';
import { webhookRoutes } from './webhooks';

/** Every route, the meta routes first. */
export function allRoutes(): RouteSpec[] {
  return [
    ...metaRoutes,
    ...userRoutes,
    ...connectorRoutes,
    ...connectorLookupRoutes,
    ...orphanRoutes,
    ...credentialRoutes,
    ...imageRoutes,
    ...buildRoutes,
    ...deploymentRoutes,
    ...projectRoutes,
    ...runRoutes,
    ...quotaRoutes,
    ...webhookRoutes,
    ...catalogRoutes,
    ...orderRoutes,
    ...billingRoutes,
  ];
}
