/** Lambda for `/v1/deployments`; a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { deploymentRoutes } from '#functions/http/api/deployments';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(deploymentRoutes, depsFor('deployments'));
