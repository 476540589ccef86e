/**
 * Builds one Lambda handler for a group of routes: identify the caller, check
 * access, validate params/query/body against the route's zod schemas (every bad
 * field listed), apply Idempotency-Key, and answer JSON or problem+json.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { appDeps, type AppDeps } from '#functions/commons/deps';
import { DomainError, ValidationError, type FieldError } from '#functions/domain/errors';
import { authorize, identify, type Caller } from './auth';
import { idempotent } from './idempotency';
import { fieldErrors, problem, problemFromError } from './problem';
import type { RouteSpec } from './route';

const logger = new Logger({ serviceName: 'slipway' });

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The body is not valid JSON', [{ path: 'body', message: 'invalid JSON' }]);
  }
}

function validate(route: RouteSpec, event: APIGatewayProxyEventV2) {
  const errors: FieldError[] = [];
  const parts = {
    params: [route.params, event.pathParameters ?? {}],
    query: [route.query, event.queryStringParameters ?? {}],
    body: [route.body, parseBody(event)],
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

function callerId(caller: Caller): string {
  return caller.kind === 'user' ? caller.userId : caller.kind === 'run' ? caller.runId : 'anonymous';
}

async function serve(route: RouteSpec, event: APIGatewayProxyEventV2, deps: AppDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const caller = await identify(deps.table, event.headers?.authorization);
  authorize(caller, route.access);
  const input = validate(route, event);
  const status = route.status ?? (event.requestContext.http.method === 'POST' ? 201 : 200);
  const run = async () => ({ status, body: await route.handle({ caller, ...input }, deps) });
  const key = event.headers?.['idempotency-key'];
  const response =
    key && event.requestContext.http.method === 'POST'
      ? await idempotent(deps.table, { caller: callerId(caller), routeKey: route.key, key, request: input, now: deps.now() }, run)
      : await run();
  return {
    statusCode: response.status,
    headers: { 'content-type': 'application/json' },
    body: response.body === undefined ? '' : JSON.stringify(response.body),
  };
}

/** The Lambda handler for these routes; `deps` is injectable for tests. */
export function httpHandler(routes: RouteSpec[], deps: () => AppDeps = appDeps) {
  const byKey = new Map<string, RouteSpec>(routes.map((r) => [r.key, r]));
  return middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = byKey.get(event.routeKey);
    if (!route) return problem(404, 'Not found', `No route for ${event.routeKey}`);
    try {
      const response = await serve(route, event, deps());
      logger.info('request', { route: route.key, status: response.statusCode });
      return response;
    } catch (error) {
      const response = problemFromError(error);
      if (!(error instanceof DomainError)) logger.error('request failed', { route: route.key, error: error as Error });
      else logger.info('request refused', { route: route.key, status: response.statusCode });
      return response;
    }
  });
}
