/** Lambda for `/v1/quotas` and `/v1/usage`; a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { quotaRoutes } from '#functions/http/api/quotas';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(quotaRoutes, depsFor('quotas'));
