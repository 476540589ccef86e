/** Lambda for `/v1/credentials`; a missing environment variable fails its cold start. */
import { depsFor } from '#functions/commons/deps';
import { credentialRoutes } from '#functions/http/api/credentials';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(credentialRoutes, depsFor('credentials'));
