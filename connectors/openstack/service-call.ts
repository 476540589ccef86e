/**
 * One authenticated call to a service of the catalog (Nova, Glance): the token
 * from the cache, the URL from the catalog, the rate budget and timeout from
 * `cloudFetch`, and exactly one fresh sign-in when the service answers 401
 * (the token was revoked or expired early). Other failures become typed errors.
 */
import { cloudFetch, truncate, type CloudResponse } from '#connectors/commons/http';
import { TransientCloudError } from '#connectors/errors';
import { openstackError, type ErrorSubject } from './api-errors';
import { publicUrl, type ServiceType } from './catalog';
import { where, type OpenstackContext } from './context';
import { currentToken, dropToken } from './token-cache';

export interface ServiceRequest {
  service: ServiceType;
  method?: string;
  /** Path under the service's catalog URL, e.g. `/servers/detail`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Statuses the caller handles itself besides 2xx, e.g. 404 on a delete. */
  allow?: number[];
  /** Names what an unknown-image or unknown-flavor error is about. */
  subject?: ErrorSubject;
}

/** Nova 2.1 base behaviour: the widest range of clouds answers it the same way. */
const NOVA_MICROVERSION = '2.1';

/**
 * Sends the request and returns the reply (2xx or an allowed status).
 * @throws CloudError classified by `openstackError`, or an authentication error after a second 401.
 */
export async function serviceCall(ctx: OpenstackContext, request: ServiceRequest): Promise<CloudResponse> {
  const method = request.method ?? 'GET';
  const what = `openstack ${method} ${request.path} on ${where(ctx)}`;
  let response: CloudResponse | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const token = await currentToken(ctx);
    const base = publicUrl(token.catalog, request.service, ctx.region, where(ctx));
    const query = request.query && Object.keys(request.query).length > 0 ? `?${new URLSearchParams(request.query)}` : '';
    response = await cloudFetch({
      what,
      url: `${serviceRoot(base, request.service)}${request.path}${query}`,
      method,
      headers: {
        accept: 'application/json',
        'x-auth-token': token.token,
        ...(request.service === 'compute' ? { 'x-openstack-nova-api-version': NOVA_MICROVERSION } : {}),
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      budget: ctx.budget,
    });
    if (response.status !== 401) break;
    await dropToken(ctx, token);
  }
  const { status, text } = response!;
  if ((status >= 200 && status < 300) || request.allow?.includes(status)) return response!;
  if (status === 413) await ctx.budget?.throttled();
  throw openstackError(ctx, what, status, text, request.subject);
}

/**
 * Glance's catalog URL is its root (`http://host:9292`), and its API lives under
 * `/v2`; Nova's catalog URL already carries its version (`…/v2.1`, `…/v2/<project>`).
 */
export function serviceRoot(base: string, service: ServiceType): string {
  if (service === 'image' && !/\/v2$/.test(base)) return `${base}/v2`;
  return base;
}

/**
 * The reply's JSON body. A 2xx that is not JSON (a proxy's HTML page) is a
 * transient failure, not a crash.
 * @throws TransientCloudError when the body does not parse.
 */
export function jsonBody<T>(response: CloudResponse, what: string): T {
  try {
    return JSON.parse(response.text) as T;
  } catch {
    throw new TransientCloudError(`${what} answered HTTP ${response.status} with a body that is not JSON`, { cause: new Error(truncate(response.text)) });
  }
}
