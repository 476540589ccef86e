/** Lambda for `/v1/users` (admin only). */
import { userRoutes } from '#functions/http/api/users';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(userRoutes);
