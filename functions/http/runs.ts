import { httpHandler } from './kit/http-handler';
import { runRoutes } from './api/runs';

export const handler = httpHandler(runRoutes);
