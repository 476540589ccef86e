/**
 * Calls HTTP handlers the way API Gateway does, with AppDeps pointing at an
 * in-memory DynamoDB Local: the route tests need no server and no AWS account.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { documentClient } from '#functions/commons/clients';
import type { AppDeps } from '#functions/commons/deps';
import { fileKeyCipher } from '#functions/commons/secret-cipher';
import type { RouteKey } from '#functions/http/route-table';
import type { TableClient } from '#functions/store/table-client';
import { ensureTable, LOCAL_AWS, startDynamo } from '#infra/local/dynamodb';

export interface TestStack {
  deps: AppDeps;
  table: TableClient;
  /** Moves the clock `deps.now()` reads. */
  setNow(date: Date): void;
  stop(): Promise<void>;
}

/** DynamoDB Local in memory, the table, and deps with a fresh file-key cipher. */
export async function startTestStack(): Promise<TestStack> {
  const dynamo = await startDynamo();
  const name = 'slipway-test';
  await ensureTable(dynamo.client, name);
  const table: TableClient = { doc: documentClient(dynamo.client), name };
  let now: Date | undefined;
  const deps = testDeps(table, () => now);
  return {
    deps,
    table,
    setNow: (date) => (now = date),
    stop: () => dynamo.stop(),
  };
}

/**
 * AppDeps for tests over DynamoDB Local: a fresh file-key cipher, the clock `now()`
 * gives (the real one when it gives undefined), and no state machines.
 */
export function testDeps(table: TableClient, now: () => Date | undefined): AppDeps {
  const cipher = fileKeyCipher(randomBytes(32));
  const missing = (what: string) => () => {
    throw new Error(`${what} is not configured in these tests`);
  };
  return {
    table,
    // Never called unless a test says so; an endpoint that refuses connections keeps it so.
    sfn: new SFNClient({ endpoint: 'http://127.0.0.1:9', ...LOCAL_AWS }),
    cipher: () => cipher,
    now: () => now() ?? new Date(),
    config: {
      deployStateMachineArn: missing('deployStateMachineArn'),
      terminateStateMachineArn: missing('terminateStateMachineArn'),
      scaleStateMachineArn: missing('scaleStateMachineArn'),
      migrateStateMachineArn: missing('migrateStateMachineArn'),
      orderStateMachineArn: missing('orderStateMachineArn'),
      buildStateMachineArn: missing('buildStateMachineArn'),
      apiUrl: () => undefined,
      webhooks: () => ({ allowLoopback: true, retryBaseMs: 1_000 }),
      orders: () => ({ retryBaseSeconds: 1 }),
    },
  };
}

export interface Request {
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** Sent as JSON unless it is a string already. */
  body?: unknown;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Claims as API Gateway's JWT authorizer passes them (the Cognito API). */
  jwtClaims?: Record<string, string>;
}

export interface Response {
  status: number;
  headers: Record<string, string>;
  /** The raw body text, for assertions on what never appears in it. */
  text: string;
  body: unknown;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Builds the API Gateway (HTTP API, payload 2.0) event of `routeKey` and calls `handler` with it. */
export async function invoke(handler: Handler, routeKey: RouteKey, request: Request = {}): Promise<Response> {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(request.pathParameters?.[name] ?? ''));
  const query = request.query ?? {};
  const headers: Record<string, string> = {
    ...(request.apiKey ? { authorization: `Bearer ${request.apiKey}` } : {}),
    ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
    ...(request.body === undefined ? {} : { body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomBytes(8).toString('hex'),
      routeKey,
      ...(request.jwtClaims ? { authorizer: { jwt: { claims: request.jwtClaims, scopes: [] } } } : {}),
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
  const result = await handler(event, { awsRequestId: event.requestContext.requestId } as Context);
  const text = typeof result.body === 'string' ? result.body : '';
  return {
    status: result.statusCode ?? 200,
    headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
    text,
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}
