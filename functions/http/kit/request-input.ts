/**
 * Reads a request's params, query and body and validates them against the route's
 * zod schemas, listing every bad field in one ValidationError; refuses bodies that
 * are too large (413) or not JSON (415) before parsing them.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError, type FieldError } from '#functions/domain/errors';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './http-errors';
import { fieldErrors } from './problem';
import type { RouteSpec } from './route';

/** DynamoDB's item limit: a larger body could never be stored. */
export const MAX_BODY_BYTES = 400 * 1024;

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

function bodyText(event: APIGatewayProxyEventV2): string | undefined {
  if (!event.body) return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(`The body may hold at most ${MAX_BODY_BYTES} bytes`);
  const type = event.headers?.['content-type'];
  if (!type || !JSON_TYPE.test(type)) throw new UnsupportedMediaTypeError('Send the body as JSON, with "content-type: application/json"');
  return raw.toString('utf8');
}

function parseBody(event: APIGatewayProxyEventV2): unknown {
  const text = bodyText(event);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The body is not valid JSON', [{ path: 'body', message: 'invalid JSON' }]);
  }
}

/** The validated parts of a request (an absent schema gives `{}`, or `undefined` for the body). */
export function validateInput(route: RouteSpec, event: APIGatewayProxyEventV2): { params: unknown; query: unknown; body: unknown } {
  const errors: FieldError[] = [];
  const parts = {
    params: [route.params, event.pathParameters ?? {}],
    query: [route.query, event.queryStringParameters ?? {}],
    body: [route.body, route.body ? parseBody(event) : undefined],
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
