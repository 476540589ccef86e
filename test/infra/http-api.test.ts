import { describe, expect, it } from 'vitest';
import { ENV } from '#functions/commons/env';
import { allRoutes } from '#functions/http/api/all-routes';
import { HTTP_FUNCTIONS } from '#functions/http/route-table';
import { PUBLIC_ROUTES, type FunctionName } from '#infra/slipway-stack';
import { placeholderTemplate } from './placeholder-stack';

const { resources, ofType, logicalIdOf, environmentOf } = placeholderTemplate();

const apiId = (name: string) => ofType('AWS::ApiGatewayV2::Api').find(([, api]) => api.Properties.Name === name)?.[0] ?? '';
const ofApi = (type: string, name: string) =>
  ofType(type)
    .filter(([, resource]) => JSON.stringify(resource.Properties.ApiId) === JSON.stringify({ Ref: apiId(name) }))
    .map(([id, resource]): Record<string, unknown> & { id: string } => ({ ...resource.Properties, id }));
const stageOf = (name: string): Record<string, unknown> => ofApi('AWS::ApiGatewayV2::Stage', name)[0] ?? {};
const accessLogFields = (name: string) => JSON.parse((stageOf(name).AccessLogSettings as { Format: string }).Format) as Record<string, string>;

const ROUTE_KEYS = Object.values(HTTP_FUNCTIONS).flatMap((spec) => spec.routes as readonly string[]);
const APIS = [{ api: 'slipway' }, { api: 'slipway-cognito' }];

describe.each(APIS)('the $api HTTP API', ({ api }) => {
  const routes = ofApi('AWS::ApiGatewayV2::Route', api);

  it('has exactly one route per route key of HTTP_FUNCTIONS', () => {
    expect(routes.map((route) => route.RouteKey).sort()).toEqual([...ROUTE_KEYS].sort());
  });

  it('sends each route to the function that serves it', () => {
    for (const [name, spec] of Object.entries(HTTP_FUNCTIONS) as [FunctionName, { routes: readonly string[] }][]) {
      for (const routeKey of spec.routes) {
        const route = routes.find((candidate) => candidate.RouteKey === routeKey);
        const integrationId = JSON.stringify(route?.Target).match(/"Ref":"(\w+)"/)?.[1] ?? '';
        expect(resources[integrationId]?.Properties.IntegrationUri, routeKey).toEqual({ 'Fn::GetAtt': [logicalIdOf(name), 'Arn'] });
      }
    }
  });

  it('throttles its auto-deployed $default stage to 50 requests a second with bursts of 100', () => {
    expect(stageOf(api)).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('logs every request as one JSON line with its id, caller IP, route, status and latency', () => {
    expect(accessLogFields(api)).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
  });

  it('never logs a request header, where the API key or token travels', () => {
    const logged = Object.values(accessLogFields(api));

    expect(logged.filter((variable) => /header|authorization|token|apikey/i.test(variable))).toEqual([]);
  });

  it('keeps its access logs for 30 days', () => {
    const destination = (stageOf(api).AccessLogSettings as { DestinationArn: { 'Fn::GetAtt': string[] } }).DestinationArn;
    const logGroup = resources[destination['Fn::GetAtt'][0] ?? ''];

    expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup?.Properties.RetentionInDays).toBe(30);
  });
});

describe('the slipway HTTP API (API keys)', () => {
  it('leaves authorization to the functions, which check the Bearer API key or run token', () => {
    const routes = ofApi('AWS::ApiGatewayV2::Route', 'slipway');

    expect(routes.filter((route) => route.AuthorizationType !== 'NONE').map((route) => route.RouteKey)).toEqual([]);
  });

  it.each(['runs', 'CreateInstance'] as FunctionName[])('is the API %s gives VMs for their callbacks with run tokens', (name) => {
    expect(JSON.stringify(environmentOf(name)[ENV.apiUrl])).toContain(apiId('slipway'));
  });
});

describe('the slipway-cognito HTTP API (Cognito JWTs)', () => {
  const routes = ofApi('AWS::ApiGatewayV2::Route', 'slipway-cognito');
  const [authorizer] = ofApi('AWS::ApiGatewayV2::Authorizer', 'slipway-cognito');

  it('requires a JWT the Cognito authorizer accepts on every route but the public ones (health, the OpenAPI document, stores)', () => {
    const guarded = routes.filter((route) => !(PUBLIC_ROUTES as readonly unknown[]).includes(route.RouteKey));

    expect(guarded).toHaveLength(ROUTE_KEYS.length - PUBLIC_ROUTES.length);
    for (const route of guarded) {
      expect(route, String(route.RouteKey)).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizer?.id } });
    }
  });

  it('leaves open exactly the routes whose spec lets anyone call them: health, the OpenAPI document, stores and their buy links', () => {
    const publicBySpec = allRoutes()
      .filter((route) => route.access === 'public')
      .map((route) => route.key);

    const open = routes.filter((route) => route.AuthorizationType === 'NONE').map((route) => route.RouteKey);

    expect(open.sort()).toEqual([...publicBySpec].sort());
    expect(open.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });
});
