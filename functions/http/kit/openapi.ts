/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas (3.1 uses JSON
 * Schema, which zod emits natively): every operation with its operationId, its
 * parameters, its request body and examples, its success response and every
 * error status the route can answer, as problem+json.
 */
import { z } from 'zod';
import { ProblemSchema, PROBLEM_CONTENT_TYPE } from './problem';
import { errorStatuses, successStatus, type RouteSpec } from './route';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const REASONS: Record<number, string> = {
  400: 'Invalid request: every bad field is listed in `errors`',
  401: 'No API key, or one that is not valid',
  403: 'The API key may not do this',
  404: 'Not found, or not yours',
  409: 'Conflict: a stale `version`, a name in use, a state that does not allow it, or an Idempotency-Key still in flight',
  413: 'The body is too large',
  415: 'The body is not JSON',
  422: 'The Idempotency-Key was used with another request',
  500: 'Something went wrong on our side; the request may be retried',
};

const problemExample = {
  type: 'https://slipway.dev/problems/invalid-request',
  title: 'Invalid request',
  status: 400,
  detail: '1 invalid field(s)',
  errors: [{ path: 'body.name', message: 'Too small: expected string to have >=1 characters' }],
};

/** Path parameters from the key's template, with their schema from the route's `params` when it has one. */
function parameters(r: RouteSpec, path: string) {
  const params = r.params ? jsonSchema(r.params, 'input').properties ?? {} : {};
  const query = r.query ? jsonSchema(r.query, 'input') : undefined;
  return [
    ...[...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: params[m[1]!] ?? { type: 'string' } })),
    ...Object.entries(query?.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: query?.required?.includes(name) ?? false, schema })),
    ...(r.key.startsWith('POST ') && r.access !== 'public'
      ? [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'A retry with the same key and request gets the first result (kept 24 h)', schema: { type: 'string', maxLength: 255 } }]
      : []),
  ];
}

function operation(r: RouteSpec, path: string) {
  const success = successStatus(r);
  const errors = Object.fromEntries(
    errorStatuses(r).map((status) => [String(status), { description: REASONS[status] ?? 'Problem', content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } }]),
  );
  return {
    operationId: r.operationId,
    summary: r.summary,
    security: r.access === 'public' ? [] : [{ bearer: [] }],
    parameters: parameters(r, path),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
    responses: {
      [String(success)]: {
        description: success === 204 ? 'Done, nothing to show' : 'Success',
        ...(r.response ? { content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } } : {}),
      },
      ...errors,
    },
  };
}

/** The document for `routes`; `servers` is relative, so it holds wherever the API is served. */
export function openApiDocument(routes: RouteSpec[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const [method, path] = r.key.split(' ') as [string, string];
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation(r, path) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Slipway API', version: '1', description: 'Deploys multi-node applications onto the clouds of your choice.' },
    servers: [{ url: '/', description: 'This deployment (every path starts with /v1)' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (`slw_…`), or a run token for the parameter routes' } },
      schemas: { Problem: { ...jsonSchema(ProblemSchema, 'output'), examples: [problemExample] } },
    },
    paths,
  };
}
