/**
 * Lambda for `/v1/orders` (it starts order executions and stops runs: the order, deploy and terminate
 * state machine ARNs are required); a missing environment variable fails its cold start.
 */
import { depsFor } from '#functions/commons/deps';
import { orderRoutes } from '#functions/http/api/orders';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(orderRoutes, depsFor('orders'));
