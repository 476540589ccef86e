/** Health and the OpenAPI document, generated from the routes' zod schemas. */
import * as z from 'zod';
import { openApiDocument } from '../kit/openapi';
import { route, type RouteSpec } from '../kit/route';

const Health = z.object({ status: z.literal('ok') });

/** The document's outline; its parts are JSON Schema and OpenAPI objects. */
const OpenApi = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  servers: z.array(z.looseObject({ url: z.string() })),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

/** `all` lists every route, these included, when the document is asked for. */
export function metaRoutes(all: () => RouteSpec[]) {
  return [
    route({
      key: 'GET /v1/health',
      operationId: 'getHealth',
      summary: 'Is the API up',
      access: 'public',
      response: Health,
      handle: async () => ({ status: 'ok' as const }),
    }),
    route({
      key: 'GET /v1/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This API, as OpenAPI 3.1',
      access: 'public',
      response: OpenApi,
      handle: async () => openApiDocument(all()),
    }),
  ];
}
