/** Lambda for `/v1/invoices`, `/v1/billing` and `/v1/vendor/reports`; a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { billingRoutes } from '#functions/http/api/billing';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(billingRoutes, depsFor('billing'));
