/** Lambda for `/v1/quotas` and `/v1/usage`. */
import { quotaRoutes } from '#functions/http/api/quotas';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(quotaRoutes);
