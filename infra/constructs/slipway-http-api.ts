/**
 * The public HTTP API: one route per `HTTP_FUNCTIONS` route key, each to its
 * function, on a `$default` stage with access logs and throttling.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HTTP_FUNCTIONS, type HttpFunctionName } from '#functions/http/route-table';

export interface SlipwayHttpApiProps {
  /** The function serving each entry of `HTTP_FUNCTIONS`. */
  readonly functions: Readonly<Record<HttpFunctionName, IFunction>>;
  /** Steady-state requests per second across the stage. @default 50 */
  readonly rateLimit?: number;
  /** Burst of requests the stage absorbs above the rate. @default 100 */
  readonly burstLimit?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** One JSON line per request, in the HTTP API's own context variables. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/** Splits a route key such as `GET /v1/runs/{id}` into its method and path. */
export function parseRouteKey(routeKey: string): { method: HttpMethod; path: string } {
  const [method, path] = routeKey.split(' ');
  if (!path || !Object.values<string>(HttpMethod).includes(method ?? '')) throw new Error(`Bad route key: ${routeKey}`);
  return { method: method as HttpMethod, path };
}

export class SlipwayHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: SlipwayHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: 'slipway',
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
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
    for (const [name, spec] of Object.entries(HTTP_FUNCTIONS) as [HttpFunctionName, (typeof HTTP_FUNCTIONS)[HttpFunctionName]][]) {
      const integration = new HttpLambdaIntegration(`${name}Integration`, props.functions[name]);
      for (const routeKey of spec.routes) {
        const { method, path } = parseRouteKey(routeKey);
        new HttpRoute(this, routeKey, { httpApi: this.api, routeKey: HttpRouteKey.with(path, method), integration });
      }
    }
    // Covers every route below this construct.
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Callers are API-key holders or VMs with run-scoped tokens, not IAM or Cognito identities: each function checks the Bearer key (hashed in the table) itself, and GET /v1/health is public by design.',
    });
  }

  /** The API's base URL, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }
}
