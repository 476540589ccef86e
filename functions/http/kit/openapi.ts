/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas (3.1 uses JSON
 * Schema, which zod emits natively): every operation with its operationId, its
 * parameters, its request body and examples, its success response and every
 * error status the route can answer, as problem+json.
 */
import * as z from 'zod';
import { LIMITS } from '#functions/schemas/common';
import { ProblemSchema, PROBLEM_CONTENT_TYPE, WWW_AUTHENTICATE } from './problem';
import { errorStatuses, isRedirect, successStatuses, type RouteSpec } from './route';

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
  413: `The body is larger than ${LIMITS.bodyBytes} bytes`,
  415: 'The body is not JSON: send it with `content-type: application/json`',
  422: 'The Idempotency-Key was used with another request',
  500: 'Something went wrong on our side; the request may be retried',
};

/** What the document says about every operation at once: limits, 405, the problem types. */
const DESCRIPTION = [
  'Deploys multi-node applications onto the clouds of your choice.',
  '',
  `Limits: a body of at most ${LIMITS.bodyBytes} bytes (413 beyond, before it is read), nested at most ${LIMITS.jsonDepth} levels; ` +
    `at most ${LIMITS.mapEntries} entries in any map (\`maxProperties\`), at most ${LIMITS.listItems} items in a list, and the string lengths each schema shows ` +
    '(400 naming the field beyond). Map keys never name a member of every object (`__proto__`, `constructor`, …).',
  'A known path asked with a method it does not serve answers 405 with `Allow` listing the methods it does.',
  'Errors are `application/problem+json`; their `type` is `https://slipway.dev/problems/<slug of the title>`.',
].join('\n');

const problemExample = {
  type: 'https://slipway.dev/problems/invalid-request',
  title: 'Invalid request',
  status: 400,
  detail: '1 invalid field(s)',
  errors: [{ path: 'body.name', message: 'Too small: expected string to have >=1 characters' }],
};

/**
 * A request body's JSON Schema with its examples: zod leaves them out of an input
 * schema that holds a preprocess (the maps' entry checks), so they are taken from the registry.
 */
function bodySchema(body: z.ZodType): JsonSchema {
  const examples = z.globalRegistry.get(body)?.examples;
  return { ...jsonSchema(body, 'input'), ...(examples ? { examples } : {}) };
}

/** Path parameters from the key's template, with their schema from the route's `params` when it has one. */
function parameters(r: RouteSpec, path: string) {
  const params = r.params ? (jsonSchema(r.params, 'input').properties ?? {}) : {};
  const query = r.query ? jsonSchema(r.query, 'input') : undefined;
  return [
    ...[...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: params[m[1]!] ?? { type: 'string' } })),
    ...Object.entries(query?.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: query?.required?.includes(name) ?? false, schema })),
    ...(r.key.startsWith('POST ') && r.access !== 'public'
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'A retry with the same key and request gets the first result (kept 24 h)',
            schema: { type: 'string', maxLength: 255 },
          },
        ]
      : []),
  ];
}

/** A redirect names where to go. */
const LOCATION = { Location: { description: 'Where to go (a path of this origin)', schema: { type: 'string' } } };

/** A 401 names the scheme to authenticate with. */
const CHALLENGE = { 'WWW-Authenticate': { description: `Always \`${WWW_AUTHENTICATE}\``, schema: { type: 'string' } } };

function operation(r: RouteSpec, path: string) {
  const [usual, ...others] = successStatuses(r);
  const errors = Object.fromEntries(
    errorStatuses(r).map((status) => [
      String(status),
      {
        description: REASONS[status] ?? 'Problem',
        ...(status === 401 ? { headers: CHALLENGE } : {}),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    ]),
  );
  const content = r.response ? { content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } } : {};
  const success = (status: number) =>
    isRedirect(status)
      ? { description: 'See Other: the page to go to', headers: LOCATION }
      : { description: status === 204 ? 'Done, nothing to show' : 'Success', ...content };
  return {
    operationId: r.operationId,
    summary: r.summary,
    security: r.access === 'public' ? [] : [{ bearer: [] }],
    parameters: parameters(r, path),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: bodySchema(r.body) } } } } : {}),
    responses: {
      [String(usual)]: success(usual!),
      ...Object.fromEntries(others.map((status) => [String(status), success(status)])),
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
    info: { title: 'Slipway API', version: '1', description: DESCRIPTION },
    servers: [{ url: '/', description: 'This deployment (every path starts with /v1)' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (`slw_…`), or a run token for the parameter routes' } },
      schemas: { Problem: { ...jsonSchema(ProblemSchema, 'output'), examples: [problemExample] } },
    },
    paths,
  };
}
