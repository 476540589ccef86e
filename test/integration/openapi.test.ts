/** The document GET /v1/openapi.json serves: complete enough to generate a client from. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableKinds } from '#connectors/registry';
import { metaRoutes } from '#functions/http/api/meta';
import { httpHandler } from '#functions/http/kit/http-handler';
import { HTTP_FUNCTIONS } from '#functions/http/route-table';
import { invoke, startTestStack, type TestStack } from '#test/support/invoke';

interface Operation {
  operationId?: string;
  security: unknown[];
  requestBody?: { content: Record<string, { schema: { examples?: unknown[] } }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
}

let stack: TestStack;
let document: Document;
let operations: [string, Operation][];

beforeAll(async () => {
  stack = await startTestStack();
  const response = await invoke(
    httpHandler(metaRoutes, () => stack.deps),
    'GET /v1/openapi.json',
  );
  document = response.body as Document;
  operations = Object.entries(document.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]),
  );
});

afterAll(async () => {
  await stack?.stop();
});

describe('the OpenAPI document', () => {
  it('documents every route of the route table, each with its own operationId', () => {
    // Prepare
    const routeKeys = Object.values(HTTP_FUNCTIONS)
      .flatMap((fn) => [...fn.routes])
      .sort();

    // Act
    const ids = operations.map(([, op]) => op.operationId);

    // Assess
    expect(operations.map(([key]) => key).sort()).toEqual(routeKeys);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has a server entry', () => {
    // Assess
    expect(document.servers?.length).toBeGreaterThan(0);
  });

  it('declares 401 and 403 as problem+json on every route that needs a key', () => {
    // Act
    const secured = operations.filter(([, op]) => op.security.length > 0);

    // Assess
    expect(secured.length).toBeGreaterThan(30);
    for (const [key, op] of secured) {
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['401', '403']));
      expect(Object.keys(op.responses['401']?.content ?? {}), key).toEqual(['application/problem+json']);
    }
  });

  it('declares 400, 413 and 415 on every route with a body, and 409 and 422 on every POST', () => {
    // Act
    const withBody = operations.filter(([, op]) => op.requestBody);
    const posts = operations.filter(([key, op]) => key.startsWith('POST') && op.security.length > 0);

    // Assess
    for (const [key, op] of withBody) expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['400', '413', '415']));
    for (const [key, op] of posts) expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['409', '422']));
  });

  it('gives an example for the body of every create', () => {
    // Act
    const creates = operations.filter(([key, op]) => key.startsWith('POST') && op.requestBody);

    // Assess
    expect(creates.length).toBeGreaterThanOrEqual(6);
    for (const [key, op] of creates) expect(op.requestBody?.content['application/json']?.schema.examples, key).toBeDefined();
  });

  it('lists only the connector kinds that are available', () => {
    // Act
    const kind = JSON.stringify(
      (document.paths['/v1/connectors']?.post?.requestBody?.content['application/json']?.schema as { properties: { kind: unknown } }).properties.kind,
    );

    // Assess
    expect(kind).toBe(JSON.stringify({ type: 'string', enum: availableKinds() }));
  });

  it("shows a run without the steps' bookkeeping", () => {
    // Act
    const run = document.paths['/v1/runs/{id}']?.get?.responses['200']?.content?.['application/json']?.schema as { properties: Record<string, unknown> };

    // Assess
    expect(Object.keys(run.properties)).toEqual(expect.arrayContaining(['nodes', 'deploymentVersion', 'instances', 'tags', 'state']));
    expect(Object.keys(run.properties)).not.toContain('quotaReserved');
    expect(Object.keys(run.properties)).not.toContain('bootPolls');
  });
});
