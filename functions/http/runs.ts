/** Lambda for `/v1/runs` (it starts and stops executions: both state machine ARNs are required); a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { runRoutes } from '#functions/http/api/runs';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(runRoutes, depsFor('runs'));
