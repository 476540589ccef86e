/**
 * Health and the OpenAPI document. The document is generated from every route's
 * zod schemas by `npm run openapi` (functions/http/api/write-openapi.ts) into
 * `openapi.generated.ts` (packed), which a test keeps equal to a fresh generation:
 * the meta function then serves it without importing every route and its dependencies.
 */
import * as z from 'zod';
import { route } from '../kit/route';
import { brotliDecompressSync } from 'node:zlib';
import { OPENAPI_DOCUMENT_PACKED } from '../openapi.generated';

let document: unknown;

/** The document, inflated at the first request and kept. */
const servedDocument = () => (document ??= JSON.parse(brotliDecompressSync(Buffer.from(OPENAPI_DOCUMENT_PACKED, 'base64')).toString('utf8')));

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
    handle: async () => servedDocument() as z.output<typeof OpenApi>,
  }),
];
