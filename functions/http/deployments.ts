/** Lambda for `/v1/deployments` and the caller's projects (`/v1/projects`); a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { deploymentRoutes } from '#functions/http/api/deployments';
import { projectRoutes } from '#functions/http/api/projects';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler([...deploymentRoutes, ...projectRoutes], depsFor('deployments'));
