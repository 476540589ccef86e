/** Lambda for `/v1/webhooks` (it seals webhook secrets: the secrets key is required); a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { webhookRoutes } from '#functions/http/api/webhooks';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(webhookRoutes, depsFor('webhooks'));
