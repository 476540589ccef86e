/** Lambda for `/v1/connectors`. */
import { connectorRoutes } from '#functions/http/api/connectors';
import { httpHandler } from '#functions/http/kit/http-handler';

export const handler = httpHandler(connectorRoutes);
