/**
 * The local API Gateway: matches a request to a route of the route table, builds
 * the HTTP API (v2) event API Gateway would send, and invokes the same handler.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpLambda = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  key: string;
  method: string;
  pattern: RegExp;
  names: string[];
  handler: HttpLambda;
}

export function compileRoutes(routes: { key: string; handler: HttpLambda }[]): CompiledRoute[] {
  return routes.map(({ key, handler }) => {
    const [method, path] = key.split(' ') as [string, string];
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '([^/]+)')}$`);
    return { key, method, pattern, names, handler };
  });
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
}

/** A path segment decoded, or undefined when its percent-encoding is malformed (`%ff`, `%zz`). */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Path parameters by name, decoded as API Gateway does.
 * @throws URIError when one is not valid percent-encoding (the server answers 400)
 */
function pathParameters(route: CompiledRoute, match: RegExpExecArray): Record<string, string> | undefined {
  if (!route.names.length) return undefined;
  return Object.fromEntries(
    route.names.map((name, i) => {
      const value = decodeSegment(match[i + 1]!);
      if (value === undefined) throw new URIError(`path parameter ${name} is not valid percent-encoding`);
      return [name, value];
    }),
  );
}

export function toEvent(route: CompiledRoute, match: RegExpExecArray, request: IncomingMessage, url: URL, body: string | undefined): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : (v ?? '')]));
  const query = Object.fromEntries(url.searchParams);
  return {
    version: '2.0',
    routeKey: route.key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: pathParameters(route, match),
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000', apiId: 'local', domainName: url.host, domainPrefix: 'local', requestId: crypto.randomUUID(),
      routeKey: route.key, stage: '$default', time: new Date().toISOString(), timeEpoch: Date.now(),
      http: { method: route.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
    },
  } as APIGatewayProxyEventV2;
}

/** Serves the routes on 127.0.0.1:`port` (0 picks a free port). */
export async function startHttpServer(routes: CompiledRoute[], port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    const candidates = routes.filter((r) => r.pattern.test(url.pathname));
    const route = candidates.find((r) => r.method === request.method);
    const send = (status: number, headers: Record<string, string>, body: string) => {
      response.writeHead(status, headers);
      response.end(body);
    };
    const problem = (status: number, title: string, detail: string) =>
      send(status, { 'content-type': 'application/problem+json' }, JSON.stringify({ type: 'about:blank', title, status, detail }));
    if (!route) {
      if (candidates.length) problem(405, 'Method not allowed', `${request.method} is not allowed on ${url.pathname}`);
      else problem(404, 'Not found', `No route for ${request.method} ${url.pathname}`);
      return;
    }
    let event: APIGatewayProxyEventV2;
    try {
      event = toEvent(route, route.pattern.exec(url.pathname)!, request, url, await readBody(request));
    } catch (error) {
      // Bad input from the client, refused before any handler runs (and before authentication), as API Gateway does.
      if (error instanceof URIError) problem(400, 'Invalid request', error.message);
      else problem(500, 'Internal error', 'The request could not be read');
      return;
    }
    try {
      const result = await route.handler(event, {});
      send(result.statusCode ?? 200, Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])), result.body ?? '');
    } catch (error) {
      console.error('local API: handler failed', error);
      problem(500, 'Internal error', 'The handler failed');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
