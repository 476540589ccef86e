/**
 * Reads a request's params, query and body and validates them against the route's
 * zod schemas, listing every bad field of all three in one ValidationError; refuses
 * bodies that are too large (413) or not JSON (415) before parsing them.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError, type FieldError } from '#functions/domain/errors';
import { LIMITS } from '#functions/schemas/common';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './http-errors';
import { fieldErrors } from './problem';
import type { RouteSpec } from './route';

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** The body's text; undefined when there is none. Only routes that take a body read it. */
function bodyText(event: APIGatewayProxyEventV2): string | undefined {
  if (!event.body) return undefined;
  // Measured before anything else is done with it: a huge body costs nothing more.
  const bytes = event.isBase64Encoded ? Math.floor((event.body.length * 3) / 4) : Buffer.byteLength(event.body, 'utf8');
  if (bytes > LIMITS.bodyBytes) throw new PayloadTooLargeError(`The body may hold at most ${LIMITS.bodyBytes} bytes`);
  const type = event.headers?.['content-type'];
  if (!type || !JSON_TYPE.test(type)) throw new UnsupportedMediaTypeError('Send the body as JSON, with "content-type: application/json"');
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** How deeply arrays and objects nest in `value` (a scalar: 0), without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > LIMITS.jsonDepth) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The parsed body, or the error that says why there is none to validate. */
function parseBody(event: APIGatewayProxyEventV2): { value: unknown } | { error: FieldError } {
  const text = bodyText(event);
  if (text === undefined) return { value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: { path: 'body', message: 'invalid JSON' } };
  }
  if (depthOf(value) > LIMITS.jsonDepth) return { error: { path: 'body', message: `nested deeper than ${LIMITS.jsonDepth} levels` } };
  return { value };
}

/** The validated parts of a request (an absent schema gives `{}`, or `undefined` for the body). */
export function validateInput(route: RouteSpec, event: APIGatewayProxyEventV2): { params: unknown; query: unknown; body: unknown } {
  const errors: FieldError[] = [];
  const body = route.body ? parseBody(event) : { value: undefined };
  if ('error' in body) errors.push(body.error);
  const parts = {
    params: [route.params, event.pathParameters ?? {}],
    query: [route.query, event.queryStringParameters ?? {}],
    body: ['value' in body ? route.body : undefined, 'value' in body ? body.value : undefined],
  } as const;
  const out: Record<string, unknown> = {};
  for (const [part, [schema, value]] of Object.entries(parts) as [keyof typeof parts, (typeof parts)[keyof typeof parts]][]) {
    if (!schema) {
      out[part] = part === 'body' ? undefined : {};
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) out[part] = parsed.data;
    else errors.push(...fieldErrors(part, parsed.error));
  }
  if (errors.length) throw new ValidationError(`${errors.length} invalid field(s)`, errors);
  return out as { params: unknown; query: unknown; body: unknown };
}
