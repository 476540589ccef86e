import { httpHandler } from './kit/http-handler';
import { deploymentRoutes } from './api/deployments';

export const handler = httpHandler(deploymentRoutes);
