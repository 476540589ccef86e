/**
 * HTTP hygiene: opaque, unforgeable cursors; maps that refuse prototype keys and
 * over-limit sizes; 413 and 415 before a body is parsed; 405 with `Allow` and 401
 * with `WWW-Authenticate`; one problem type scheme; an idempotent terminate; runs
 * listed by deployment name; usage with default days; every bad field listed at once.
 * Handlers are driven directly (every answer checked against the OpenAPI document),
 * the local HTTP server where it answers itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { newSecretToken } from '#functions/commons/api-keys';
import type { RunState } from '#functions/domain/run-states';
import { allRoutes } from '#functions/http/api/all-routes';
import { cursorScope, sealCursor } from '#functions/http/kit/cursor';
import { httpHandler } from '#functions/http/kit/http-handler';
import { openApiDocument } from '#functions/http/kit/openapi';
import type { RouteKey } from '#functions/http/route-table';
import { encodeCursor } from '#functions/store/items';
import { indexKeys, keys } from '#functions/store/keys';
import { putRun } from '#functions/store/runs';
import { putUsageRecords } from '#functions/store/usage';
import { seedAdmin } from '#functions/store/users';
import { compileRoutes, startHttpServer, type HttpLambda } from '#infra/local/http-server';
import { invoke as invokeHandler, startTestStack, type Request, type Response, type TestStack } from '#test/support/invoke';
import { routeTableChecker } from '#test/support/openapi-check';

let stack: TestStack;
let handler: ReturnType<typeof httpHandler>;
let server: { url: string; stop(): Promise<void> };
let adminKey: string;
/** What the fake Step Functions client was sent. */
const sfnSent: unknown[] = [];

/** Calls the handlers and checks the answer against the document. */
async function invoke(key: RouteKey, request: Request = {}): Promise<Response> {
  const response = await invokeHandler(handler, key, request);
  const [method = 'GET', path = '/'] = key.split(' ');
  routeTableChecker().check(method, path, { ...response, contentType: response.headers['content-type'] ?? '' });
  return response;
}

interface Problem {
  type: string;
  status: number;
  errors?: { path: string; message: string }[];
}
const problemOf = (r: Response) => r.body as Problem;
const errorPaths = (r: Response) => (problemOf(r).errors ?? []).map((e) => e.path).sort();

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

async function created(key: RouteKey, apiKey: string, body: unknown): Promise<{ id: string; apiKey: string }> {
  const response = await invoke(key, { apiKey, body });
  if (response.status !== 201) throw new Error(`${key}: ${response.text}`);
  return response.body as { id: string; apiKey: string };
}

const newUser = () => created('POST /v1/users', adminKey, { name: unique('user') });

async function newRun(owner: string, state: RunState = 'Ready', deployment = 'dep_x'): Promise<string> {
  const id = `run_${unique('r').replace('-', '')}`;
  const at = new Date().toISOString();
  await putRun(stack.table, {
    id,
    owner,
    deployment,
    deploymentVersion: 1,
    connector: 'sim-eu',
    nodes: {},
    state,
    tags: {},
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
  return id;
}

beforeAll(async () => {
  stack = await startTestStack();
  adminKey = newSecretToken('slw');
  await seedAdmin(stack.table, adminKey, new Date());
  // Step Functions that records what it is sent: a deploy execution that already ended, a terminate that starts.
  const sfn = { send: async (command: unknown) => (sfnSent.push(command), { status: 'SUCCEEDED' }) } as unknown as SFNClient;
  const arn = (name: string) => () => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;
  handler = httpHandler(allRoutes(), () => ({
    ...stack.deps,
    sfn,
    config: { ...stack.deps.config, deployStateMachineArn: arn('deploy'), terminateStateMachineArn: arn('terminate') },
  }));
  server = await startHttpServer(compileRoutes(allRoutes().map((r) => ({ key: r.key, handler: handler as unknown as HttpLambda }))), 0);
  await created('POST /v1/connectors', adminKey, { name: 'sim-eu', kind: 'sim', defaultQuotaVms: 4, maxIaasWorkers: 2 });
  await created('POST /v1/connectors', adminKey, { name: 'sim-us', kind: 'sim', defaultQuotaVms: 4, maxIaasWorkers: 2 });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await stack?.stop();
});

describe('cursors', () => {
  const forged = [Buffer.from('{"a":1}').toString('base64url'), Buffer.from(JSON.stringify(keys.user('usr_x'))).toString('base64url'), 'not-a-cursor'];

  it('a cursor this API did not give gets 400 on every list route, never a server error', async () => {
    // Prepare
    const user = await newUser();
    const image = await created('POST /v1/images', user.apiKey, { name: unique('img') });
    const deployment = await created('POST /v1/deployments', user.apiKey, { name: unique('dep'), nodes: [{ name: 'web', image: image.id }] });
    const run = await newRun(user.id);
    const lists: [RouteKey, Record<string, string>][] = [
      ['GET /v1/users', {}],
      ['GET /v1/connectors', {}],
      ['GET /v1/credentials', {}],
      ['GET /v1/images', {}],
      ['GET /v1/deployments', {}],
      ['GET /v1/images/{id}/versions', { id: image.id }],
      ['GET /v1/deployments/{id}/versions', { id: deployment.id }],
      ['GET /v1/runs', {}],
      ['GET /v1/runs/{id}/events', { id: run }],
      ['GET /v1/quotas', {}],
      ['GET /v1/usage', {}],
    ];

    // Act
    const answers = await Promise.all(
      lists.flatMap(([key, pathParameters]) =>
        forged.map((cursor) => invoke(key, { apiKey: key === 'GET /v1/users' ? adminKey : user.apiKey, pathParameters, query: { cursor } })),
      ),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 400));
    expect(answers.map(errorPaths)).toEqual(answers.map(() => ['query.cursor']));
  });

  it("a cursor opens for the caller it was given to, not for another's key", async () => {
    // Prepare
    const [alice, bob] = [await newUser(), await newUser()];
    const first = await invoke('GET /v1/connectors', { apiKey: alice.apiKey, query: { limit: '1' } });
    const cursor = String((first.body as { nextCursor: string }).nextCursor);

    // Act
    const bobs = await invoke('GET /v1/connectors', { apiKey: bob.apiKey, query: { limit: '1', cursor } });
    const alices = await invoke('GET /v1/connectors', { apiKey: alice.apiKey, query: { limit: '1', cursor } });

    // Assess
    expect(bobs.status).toBe(400);
    expect(errorPaths(bobs)).toEqual(['query.cursor']);
    expect(alices.status).toBe(200);
  });

  it('a cursor opens for the listing and filters it came from, at any limit, and for no other', async () => {
    // Prepare
    const user = await newUser();
    await Promise.all([newRun(user.id), newRun(user.id), newRun(user.id, 'Done')]);
    const first = await invoke('GET /v1/runs', { apiKey: user.apiKey, query: { limit: '1', state: 'Ready' } });
    const cursor = String((first.body as { nextCursor: string }).nextCursor);

    // Act
    const otherLimit = await invoke('GET /v1/runs', { apiKey: user.apiKey, query: { limit: '5', state: 'Ready', cursor } });
    const otherFilter = await invoke('GET /v1/runs', { apiKey: user.apiKey, query: { limit: '1', state: 'Done', cursor } });
    const otherList = await invoke('GET /v1/images', { apiKey: user.apiKey, query: { limit: '1', cursor } });

    // Assess
    expect(otherLimit.status).toBe(200);
    const states = (otherLimit.body as { items: { state: string }[] }).items.map((r) => r.state);
    expect(states.length).toBeGreaterThan(0);
    expect(states.filter((s) => s !== 'Ready')).toEqual([]);
    expect([otherFilter.status, otherList.status]).toEqual([400, 400]);
  });

  it("a sealed cursor whose start key is in another user's partition is refused", async () => {
    // Prepare
    const [alice, bob] = [await newUser(), await newUser()];
    const bobsKey = { ...keys.run('run_b'), ...indexKeys.byOwner('run', bob.id, '2024-01-01T00:00:00.000Z') };
    const cursor = sealCursor(alice.apiKey, cursorScope('GET /v1/runs', alice.id, {}, {}), encodeCursor(bobsKey)!);

    // Act
    const response = await invoke('GET /v1/runs', { apiKey: alice.apiKey, query: { cursor } });

    // Assess
    expect(response.status).toBe(400);
    expect(errorPaths(response)).toEqual(['query.cursor']);
  });
});

describe('maps and limits', () => {
  it('a prototype member name as a map key is refused with 400 naming it, and no prototype changes', async () => {
    // Prepare
    const user = await newUser();
    const tags = '{"deployment":"d","tags":{"__proto__":{"polluted":true}}}';

    // Act
    const image = await invoke('POST /v1/images', { apiKey: user.apiKey, body: { name: unique('img'), cloudImageIds: { constructor: 'native-1' } } });
    const run = await invoke('POST /v1/runs', { apiKey: user.apiKey, body: tags });

    // Assess
    expect(image.status).toBe(400);
    expect(errorPaths(image)).toEqual(['body.cloudImageIds.constructor']);
    expect(run.status).toBe(400);
    expect(errorPaths(run)).toEqual(['body.tags.__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a map of 5,000 entries under the body limit is refused at once, with one error', async () => {
    // Prepare
    const user = await newUser();
    const image = await created('POST /v1/images', user.apiKey, { name: unique('img'), cloudImageIds: { 'sim-eu': 'native' } });
    const deployment = await created('POST /v1/deployments', user.apiKey, { name: unique('dep'), nodes: [{ name: 'web', image: image.id }] });
    const tags = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`tag${i}`, 'v']));
    const started = Date.now();

    // Act
    const response = await invoke('POST /v1/runs', { apiKey: user.apiKey, body: { deployment: deployment.id, tags } });

    // Assess
    expect(response.status).toBe(400);
    expect(problemOf(response).errors).toEqual([{ path: 'body.tags', message: 'at most 100 entries' }]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a 5 MB body of 100,000 map entries gets 413, from the handler and through the local HTTP server', async () => {
    // Prepare
    const user = await newUser();
    const body = JSON.stringify({ deployment: 'd', tags: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`tag-${i}`, 'v'.repeat(40)])) });

    // Act
    const direct = await invoke('POST /v1/runs', { apiKey: user.apiKey, body });
    const served = await fetch(`${server.url}/v1/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' },
      body,
    });

    // Assess
    expect(body.length).toBeGreaterThan(5_000_000);
    expect(direct.status).toBe(413);
    expect(served.status).toBe(413);
    expect(served.headers.get('content-type')).toBe('application/problem+json');
  });

  it('params, query and body are all reported at once, an unparsable body included', async () => {
    // Act
    const response = await invoke('PUT /v1/quotas/{user}/{connector}', {
      apiKey: adminKey,
      pathParameters: { user: 'u', connector: 'Not A Name' },
      body: '{"maxVms":',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(errorPaths(response)).toEqual(['body', 'params.connector']);
  });

  it('a body with several bad fields lists every one, unknown and nested ones included', async () => {
    // Prepare
    const user = await newUser();
    const body = {
      name: 'Bad Name',
      description: 'x'.repeat(2_000),
      nodes: [{ name: 'web', image: 'i', multiplicity: 0, inputs: { constructor: 'a:b' } }],
      colour: 'blue',
    };

    // Act
    const response = await invoke('POST /v1/deployments', { apiKey: user.apiKey, body });

    // Assess
    expect(response.status).toBe(400);
    expect(errorPaths(response)).toEqual(['body.colour', 'body.description', 'body.name', 'body.nodes.0.inputs.constructor', 'body.nodes.0.multiplicity']);
  });
});

describe('content types', () => {
  it('a JSON route refuses text/plain, a form, and a body without a content type with 415', async () => {
    // Prepare
    const user = await newUser();
    const send = (contentType: string) => invoke('POST /v1/images', { apiKey: user.apiKey, body: '{"name":"x"}', headers: { 'content-type': contentType } });

    // Act
    const answers = await Promise.all(['text/plain', 'application/x-www-form-urlencoded', ''].map(send));

    // Assess
    expect(answers.map((a) => a.status)).toEqual([415, 415, 415]);
  });

  it('a POST without a body needs no content type', async () => {
    // Prepare
    const user = await newUser();
    const run = await newRun(user.id, 'Done');

    // Act
    const response = await fetch(`${server.url}/v1/runs/${run}/terminate`, { method: 'POST', headers: { authorization: `Bearer ${user.apiKey}` } });

    // Assess
    expect(response.status).toBe(200);
  });
});

describe('status codes and problem types', () => {
  it('a known path asked with another method gets 405 with Allow listing the methods it serves', async () => {
    // Act
    const response = await fetch(`${server.url}/v1/images/some-image`, { method: 'PATCH' });

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, PUT, DELETE');
    expect(await response.json()).toMatchObject({ type: 'https://slipway.dev/problems/method-not-allowed', status: 405 });
  });

  it("the local server's own 404 uses the same problem types as the handlers", async () => {
    // Act
    const response = await fetch(`${server.url}/v1/nothing-here`);

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'https://slipway.dev/problems/not-found', title: 'Not found', status: 404 });
  });

  it('a 401 names the scheme to authenticate with', async () => {
    // Act
    const response = await invoke('GET /v1/images');

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="slipway"');
    expect(problemOf(response).type).toBe('https://slipway.dev/problems/unauthorized');
  });

  it('the document declares both terminate answers, and the challenge of every 401', () => {
    // Act
    const document = openApiDocument(allRoutes()) as unknown as { paths: Record<string, Record<string, { responses: Record<string, { headers?: object }> }>> };

    // Assess
    expect(Object.keys(document.paths['/v1/runs/{id}/terminate']!.post!.responses)).toEqual(expect.arrayContaining(['200', '202']));
    expect(document.paths['/v1/images']!.get!.responses['401']!.headers).toHaveProperty('WWW-Authenticate');
  });
});

describe('terminate', () => {
  it.each(['Finalizing', 'Done', 'Aborted'] as const)('terminating a run that is %s answers 200 with the run and starts nothing', async (state) => {
    // Prepare
    const user = await newUser();
    const run = await newRun(user.id, state);
    const sentBefore = sfnSent.length;

    // Act
    const response = await invoke('POST /v1/runs/{id}/terminate', { apiKey: user.apiKey, pathParameters: { id: run } });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: run, state });
    expect(sfnSent.length).toBe(sentBefore);
  });

  it('terminating a Ready run answers 202 and starts its terminate execution', async () => {
    // Prepare
    const user = await newUser();
    const run = await newRun(user.id);

    // Act
    const response = await invoke('POST /v1/runs/{id}/terminate', { apiKey: user.apiKey, pathParameters: { id: run } });

    // Assess
    expect(response.status).toBe(202);
    const starts = sfnSent.filter((c): c is StartExecutionCommand => c instanceof StartExecutionCommand && c.input.name === run);
    expect(starts.map((c) => c.input.stateMachineArn)).toEqual([expect.stringContaining(':stateMachine:terminate')]);
  });
});

describe('listing filters and defaults', () => {
  it("GET /v1/runs?deployment= takes the deployment's name as well as its id", async () => {
    // Prepare
    const user = await newUser();
    const image = await created('POST /v1/images', user.apiKey, { name: unique('img') });
    const name = unique('dep');
    const deployment = await created('POST /v1/deployments', user.apiKey, { name, nodes: [{ name: 'web', image: image.id }] });
    const run = await newRun(user.id, 'Ready', deployment.id);
    await newRun(user.id, 'Ready', 'dep_other');

    // Act
    const byName = await invoke('GET /v1/runs', { apiKey: user.apiKey, query: { deployment: name } });
    const byId = await invoke('GET /v1/runs', { apiKey: user.apiKey, query: { deployment: deployment.id } });

    // Assess
    expect((byName.body as { items: { id: string }[] }).items.map((r) => r.id)).toEqual([run]);
    expect((byId.body as { items: { id: string }[] }).items.map((r) => r.id)).toEqual([run]);
  });

  it('GET /v1/usage without from and to answers this UTC month up to today', async () => {
    // Prepare
    const user = await newUser();
    stack.setNow(new Date('2024-02-20T12:00:00Z'));
    for (const [run, day] of [
      ['run_jan', '2024-01-31'],
      ['run_first', '2024-02-01'],
      ['run_today', '2024-02-20'],
      ['run_tomorrow', '2024-02-21'],
    ] as const) {
      await putUsageRecords(stack.table, { id: run, owner: user.id }, [{ day, connector: 'sim-eu', vmSeconds: 60 }]);
    }

    // Act
    const response = await invoke('GET /v1/usage', { apiKey: user.apiKey });
    stack.setNow(new Date());

    // Assess
    expect(response.status).toBe(200);
    expect((response.body as { items: { run: string }[] }).items.map((r) => r.run)).toEqual(['run_first', 'run_today']);
  });
});
