/** Lambda for `/v1/credentials` (the one HTTP function that holds the secrets key). */
import { credentialRoutes } from '#functions/http/api/credentials';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(credentialRoutes);
