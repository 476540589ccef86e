/**
 * A public HTTP API over Slipway's functions: one route per `HTTP_FUNCTIONS` route
 * key, each to its function, on a `$default` stage with JSON access logs and
 * throttling. Without an authorizer the functions check the Bearer API key
 * themselves; with one, API Gateway checks every route but the public ones first.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HTTP_FUNCTIONS, type HttpFunctionName, type RouteKey } from '#functions/http/route-table';

export interface SlipwayHttpApiProps {
  /** The function serving each entry of `HTTP_FUNCTIONS`. */
  readonly functions: Readonly<Record<HttpFunctionName, IFunction>>;
  /** @default 'slipway' */
  readonly apiName?: string;
  /**
   * Checks every route but `publicRoutes` before its function runs.
   * @default - none: API Gateway lets every request through and the functions check the Bearer API key
   */
  readonly authorizer?: IHttpRouteAuthorizer;
  /** Routes left open when there is an `authorizer`. @default [] */
  readonly publicRoutes?: readonly RouteKey[];
  /** Steady-state requests per second across the stage. @default 50 */
  readonly rateLimit?: number;
  /** Burst of requests the stage absorbs above the rate. @default 100 */
  readonly burstLimit?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * One JSON line per request, in the HTTP API's own context variables. No header is
 * logged (the Authorization header carries the key or token); with a JWT authorizer,
 * the token's subject and the authorizer's refusal reason are.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
  jwtSubject: '$context.authorizer.claims.sub',
  authorizerError: '$context.authorizer.error',
} as const;

/** Splits a route key such as `GET /v1/runs/{id}` into its method and path. */
export function parseRouteKey(routeKey: string): { method: HttpMethod; path: string } {
  const [method, path] = routeKey.split(' ');
  if (!path || !Object.values<string>(HttpMethod).includes(method ?? '')) throw new Error(`Bad route key: ${routeKey}`);
  return { method: method as HttpMethod, path };
}

export class SlipwayHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** Every route by its route key. */
  readonly routes: ReadonlyMap<RouteKey, HttpRoute>;

  constructor(scope: Construct, id: string, props: SlipwayHttpApiProps) {
    super(scope, id);
    const publicRoutes: readonly string[] = props.publicRoutes ?? [];
    this.api = new HttpApi(this, 'Api', {
      apiName: props.apiName ?? 'slipway',
      description: 'Slipway v1: multi-cloud application deployments.',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    const routes = new Map<RouteKey, HttpRoute>();
    for (const [name, spec] of Object.entries(HTTP_FUNCTIONS) as [HttpFunctionName, (typeof HTTP_FUNCTIONS)[HttpFunctionName]][]) {
      // One invoke permission per function and API rather than per route: a function serves only its own routes anyway.
      const integration = new HttpLambdaIntegration(`${name}Integration`, props.functions[name], { scopePermissionToRoute: false });
      for (const routeKey of spec.routes) {
        const { method, path } = parseRouteKey(routeKey);
        const authorizer = publicRoutes.includes(routeKey) ? undefined : props.authorizer;
        routes.set(routeKey, new HttpRoute(this, routeKey, { httpApi: this.api, routeKey: HttpRouteKey.with(path, method), integration, authorizer }));
      }
    }
    this.routes = routes;
    this.acknowledgeOpenRoutes(props.authorizer !== undefined, publicRoutes);
  }

  /** The API's base URL, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }

  private acknowledgeOpenRoutes(hasAuthorizer: boolean, publicRoutes: readonly string[]): void {
    if (!hasAuthorizer) {
      // Covers every route below this construct.
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          "This API serves callers that hold API keys or run-scoped VM tokens, not IAM or Cognito identities: each function checks the Bearer key (hashed in the table) itself, and GET /v1/health, GET /v1/openapi.json and vendors' stores and buy links (GET /v1/stores/…) are public by design. Cognito users have their own API with a JWT authorizer.",
      });
      return;
    }
    for (const routeKey of publicRoutes) {
      const route = this.routes.get(routeKey as RouteKey);
      if (!route) throw new Error(`Public route ${routeKey} is not a route of HTTP_FUNCTIONS`);
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${routeKey} is one of the public routes (health, the OpenAPI document, vendors' stores and buy links), open on both APIs by design: they read no user data, or only what vendors publish to embed in their sites.`,
      });
    }
  }
}
