/**
 * Health and the OpenAPI document. The document is generated from every route's
 * zod schemas by `npm run openapi` (functions/http/api/write-openapi.ts) into
 * `openapi.generated.json`, which a test keeps equal to a fresh generation: the
 * meta function then serves it without importing every route and its dependencies.
 */
import * as z from 'zod';
import { route } from '../kit/route';
import OPENAPI_DOCUMENT from '../openapi.generated.json' with { type: 'json' };

const Health = z.object({ status: z.literal('ok') });

/** The document's outline; its parts are JSON Schema and OpenAPI objects. */
const OpenApi = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  servers: z.array(z.looseObject({ url: z.string() })),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const metaRoutes = [
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
    handle: async () => OPENAPI_DOCUMENT,
  }),
];
