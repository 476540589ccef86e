import { httpHandler } from './kit/http-handler';
import { imageRoutes } from './api/images';

export const handler = httpHandler(imageRoutes);
