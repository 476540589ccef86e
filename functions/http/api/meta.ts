/** Health and the OpenAPI document, generated from the routes' zod schemas. */
import { z } from 'zod';
import { route, type RouteSpec } from '../kit/route';
import { ProblemSchema, PROBLEM_CONTENT_TYPE } from '../kit/problem';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });

/** OpenAPI 3.1 for the given routes (3.1 uses JSON Schema, which zod emits natively). */
export function openApiDocument(routes: RouteSpec[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const [method, path] = r.key.split(' ') as [string, string];
    const parameters = [
      ...[...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(r.query ? Object.entries((jsonSchema(r.query, 'input') as { properties?: Record<string, unknown> }).properties ?? {}).map(([name, schema]) => ({ name, in: 'query', schema })) : []),
    ];
    const success = String(r.status ?? (method === 'POST' ? 201 : 200));
    paths[path] = {
      ...paths[path],
      [method.toLowerCase()]: {
        summary: r.summary,
        security: r.access === 'public' ? [] : [{ bearer: [] }],
        parameters,
        ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
        responses: {
          [success]: { description: 'Success', ...(r.response ? { content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } } : {}) },
          default: { description: 'Problem', content: { [PROBLEM_CONTENT_TYPE]: { schema: jsonSchema(ProblemSchema, 'output') } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Slipway API', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

export function metaRoutes(all: () => RouteSpec[]) {
  return [
    route({ key: 'GET /v1/health', summary: 'Is the API up', access: 'public', handle: async () => ({ status: 'ok' }) }),
    route({ key: 'GET /v1/openapi.json', summary: 'This API, as OpenAPI 3.1', access: 'public', handle: async () => openApiDocument(all()) }),
  ];
}
