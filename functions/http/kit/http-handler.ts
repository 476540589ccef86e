/**
 * Builds one Lambda handler for a group of routes: identify the caller, check
 * access, validate params/query/body against the route's zod schemas (every bad
 * field listed), open and seal pagination cursors, apply Idempotency-Key, and
 * answer JSON or problem+json; with Powertools' logger, tracer and metrics around it (`observed`).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { appDeps, type AppDeps } from '#functions/commons/deps';
import { countMetric, logger, observed } from '#functions/commons/observability';
import { DomainError } from '#functions/domain/errors';
import { authorize, bearerToken, identify, type Caller, type JwtClaims } from './auth';
import { cursorScope, openCursor, sealCursor } from './cursor';
import { idempotent, type StoredResponse } from './idempotency';
import { problem, problemFromError } from './problem';
import { validateInput } from './request-input';
import { Answer, successStatus, successStatuses, type RouteSpec } from './route';

function callerId(caller: Caller): string {
  return caller.kind === 'user' ? caller.userId : caller.kind === 'run' ? caller.runId : 'anonymous';
}

async function serve(route: RouteSpec, event: APIGatewayProxyEventV2, context: Context, deps: AppDeps): Promise<APIGatewayProxyStructuredResultV2> {
  // Only the Cognito API has a JWT authorizer; its claims are there once API Gateway verified the token.
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: JwtClaims } } }).authorizer?.jwt?.claims;
  const caller = await identify(deps.table, event.headers?.authorization, claims, deps.now());
  authorize(caller, route.access);
  const input = validateInput(route, event);
  const token = bearerToken(event.headers?.authorization);
  // Lists: the client's cursor opens to the store's, and the store's next one is sealed for the client.
  const scope = cursorScope(route.key, callerId(caller), input.params, input.query);
  const query = input.query as { cursor?: string };
  if (typeof query.cursor === 'string') input.query = { ...query, cursor: openCursor(token, scope, query.cursor) };
  const key = event.headers?.['idempotency-key'];
  const run = async (): Promise<StoredResponse> => {
    const accept = event.headers?.accept;
    const result = await route.handle({ caller, ...input, ...(key ? { idempotencyKey: key } : {}), ...(accept ? { accept } : {}) }, deps);
    const { status, body, headers } = result instanceof Answer ? result : { status: successStatus(route), body: result, headers: {} };
    // Counted for the route's usual success only (a launch's 201, not its dry run's 200).
    if (route.counts && status === successStatus(route)) countMetric(route.counts);
    if (!successStatuses(route).includes(status)) throw new Error(`${route.key} answered ${status}, which its spec does not declare`);
    const page = body as { nextCursor?: unknown } | undefined;
    if (token && typeof page?.nextCursor === 'string') return { status, body: { ...page, nextCursor: sealCursor(token, scope, page.nextCursor) } };
    return { status, body, ...(Object.keys(headers).length ? { headers } : {}) };
  };
  const response =
    key !== undefined && token && event.requestContext.http.method === 'POST'
      ? await idempotent(deps.table, { caller: callerId(caller), token, routeKey: route.key, key, request: input }, context, run)
      : await run();
  return {
    statusCode: response.status,
    headers: { ...(response.body === undefined ? {} : { 'content-type': 'application/json' }), ...response.headers },
    body: response.body === undefined ? '' : JSON.stringify(response.body),
  };
}

/**
 * The Lambda handler for these routes.
 * @param deps injectable for tests; an entry file passes `depsFor(<function>)`, checked at cold start
 */
export function httpHandler(routes: RouteSpec[], deps: () => AppDeps = appDeps) {
  const byKey = new Map<string, RouteSpec>(routes.map((r) => [r.key, r]));
  return observed(async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = byKey.get(event.routeKey);
    if (!route) return problem(404, 'Not found', `No route for ${event.routeKey}`);
    logger.appendKeys({ route: route.key });
    try {
      const response = await serve(route, event, context, deps());
      logger.info('request', { status: response.statusCode });
      return response;
    } catch (error) {
      const response = problemFromError(error);
      if (error instanceof DomainError) logger.info('request refused', { status: response.statusCode });
      else logger.error('request failed', { error: error as Error });
      return response;
    }
  });
}
