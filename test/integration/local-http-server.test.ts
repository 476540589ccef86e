/** The local API Gateway refuses a malformed request itself, as API Gateway does: a 400, never a 500. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRoutes, startHttpServer, type HttpLambda } from '#infra/local/http-server';

let server: { url: string; stop(): Promise<void> };
let calls = 0;

beforeAll(async () => {
  const handler: HttpLambda = async () => {
    calls++;
    return { statusCode: 401, headers: { 'content-type': 'application/problem+json' }, body: '{}' };
  };
  server = await startHttpServer(compileRoutes([{ key: 'GET /v1/images/{id}', handler }]), 0);
});

afterAll(async () => {
  await server?.stop();
});

describe('the local HTTP server', () => {
  it('answers a path parameter with malformed percent-encoding with 400 problem+json, before any handler', async () => {
    // Prepare
    const before = calls;

    // Act
    const response = await fetch(`${server.url}/v1/images/%ff`);

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 400, title: 'Invalid request' });
    expect(calls).toBe(before);
  });

  it('passes a well-formed encoded parameter on to the handler', async () => {
    // Prepare
    const before = calls;

    // Act
    const response = await fetch(`${server.url}/v1/images/my%2Dimage`);

    // Assess
    expect(response.status).toBe(401);
    expect(calls).toBe(before + 1);
  });
});
