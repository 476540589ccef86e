/* eslint-disable @typescript-eslint/no-explicit-any -- JSON output is asserted field by field */
/**
 * `slipway run --plan`: what a launch would do, from `POST /v1/runs?dryRun=true`.
 * Against the local stack: the plan per node and per connector's quota, the
 * refusals and the exit code, and that nothing is launched. With a stand-in
 * server: the CLI never sends a launch to an API whose document does not declare
 * `dryRun` (an older API would launch a real run), and prints the problem when
 * the API refuses the plan.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { cleanEnv, cli, json } from './support/cli';

/** A stand-in API: serves `document` as the OpenAPI document, answers POST /v1/runs with `answer`, and records the requests. */
async function standIn(document: object, answer: { status: number; body: object }) {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    request.resume();
    const [status, body, type] =
      request.url === '/v1/openapi.json'
        ? [200, document, 'application/json']
        : [answer.status, answer.body, answer.status >= 400 ? 'application/problem+json' : 'application/json'];
    response.writeHead(status, { 'content-type': type });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

const withDryRun = { paths: { '/v1/runs': { post: { parameters: [{ name: 'dryRun', in: 'query', schema: { type: 'boolean' } }] } } } };
const withoutDryRun = { paths: { '/v1/runs': { post: {} } } };

describe('run --plan, the CLI side', () => {
  it('sends no launch to an API whose document declares no dryRun, and says so (exit 1)', async () => {
    const api = await standIn(withoutDryRun, { status: 201, body: { id: 'run_x', state: 'Initializing' } });

    const result = await cli(['run', 'wordpress-site', '--plan'], cleanEnv({ SLIPWAY_URL: api.url, SLIPWAY_API_KEY: 'slw_x' }));
    await api.close();

    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toContain('offers no launch plans yet');
    expect(api.requests).toEqual(['GET /v1/openapi.json']);
  });

  it('prints the problem when the API refuses the plan (400)', async () => {
    const problem = { type: 'https://slipway.dev/problems/invalid-request', title: 'Invalid request', status: 400, detail: '1 invalid field(s)' };
    const api = await standIn(withDryRun, { status: 400, body: { ...problem, errors: [{ path: 'query.dryRun', message: 'unknown field "dryRun"' }] } });

    const result = await cli(['run', 'wordpress-site', '--connector', 'sim-eu', '--plan'], cleanEnv({ SLIPWAY_URL: api.url, SLIPWAY_API_KEY: 'slw_x' }));
    await api.close();

    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toBe('slipway: Invalid request: 1 invalid field(s)\n  query.dryRun: unknown field "dryRun"\n');
    expect(api.requests).toEqual(['GET /v1/openapi.json', 'POST /v1/runs?dryRun=true']);
  });
});

describe('run --plan against the API (POST /v1/runs?dryRun=true)', () => {
  let stack: LocalStack;
  let admin: Record<string, string>;
  let alice: Record<string, string>;

  beforeAll(async () => {
    stack = await startLocalStack({ scheduleIntervalMs: 500 });
    admin = cleanEnv({ SLIPWAY_URL: stack.apiUrl, SLIPWAY_API_KEY: stack.adminKey });
    const user = json(await cli(['users', 'create', 'alice', '-o', 'json'], admin));
    alice = cleanEnv({ SLIPWAY_URL: stack.apiUrl, SLIPWAY_API_KEY: user.apiKey });
    await cli(['connectors', 'create', 'sim-eu', '--kind', 'sim', '--default-quota', '10', '--max-workers', '2', '--setting', 'bootSeconds=1'], admin);
    await cli(['connectors', 'create', 'sim-bare', '--kind', 'sim', '--default-quota', '10', '--max-workers', '2'], admin);
    for (const connector of ['sim-eu', 'sim-bare']) {
      await cli(['credentials', 'create', '--connector', connector, '--secret', 'apiKey=a', '--secret', 'apiSecret=b'], alice);
    }
    await cli(['apply', '-f', 'examples/wordpress.yaml', '--yes'], alice);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const runCount = async () => json(await cli(['runs', '--all', '-o', 'json'], alice)).length;

  it('shows per node the connector, credential and native image, and the quota before and after, launching nothing (exit 0)', async () => {
    const result = await cli(['run', 'wordpress-site', '--connector', 'sim-eu', '--plan'], alice);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^NODE\s+COUNT\s+CONNECTOR\s+CREDENTIAL\s+NATIVE IMAGE\s+INSTANCE TYPE$/m);
    expect(result.stdout).toMatch(/^db\s+1\s+sim-eu\s+cred_\w+\s+sim-ubuntu-22\.04\s+-$/m);
    expect(result.stdout).toMatch(/^web\s+2\s+sim-eu\s+cred_\w+\s+sim-ubuntu-22\.04\s+-$/m);
    expect(result.stdout).toMatch(/^sim-eu\s+10\s+0\s+3\s+3$/m);
    expect(result.stdout).toContain('A launch would be accepted.');
    expect(await runCount()).toBe(0);
  });

  it('prints the API’s plan as JSON with --output json, with the per-node overrides applied', async () => {
    const plan = json(await cli(['run', 'wordpress-site', '--connector', 'sim-eu', '--node', 'web=sim-eu:3', '--plan', '-o', 'json'], alice));

    expect(plan).toMatchObject({ dryRun: true, launchable: true, refusals: [] });
    expect(plan.nodes.map((n: any) => [n.node, n.multiplicity, n.imageId])).toEqual([
      ['db', 1, 'sim-ubuntu-22.04'],
      ['web', 3, 'sim-ubuntu-22.04'],
    ]);
    expect(plan.quotas).toEqual([{ connector: 'sim-eu', maxVms: 10, usedBefore: 0, needs: 4, usedAfter: 4 }]);
    expect(await runCount()).toBe(0);
  });

  it('lists every refusal and exits 1 when a launch would be refused (no native id, quota)', async () => {
    await cli(['quotas', 'set', 'alice', 'sim-eu', '2'], admin);

    const noImage = await cli(['run', 'wordpress-site', '--connector', 'sim-bare', '--plan'], alice);
    const quota = await cli(['run', 'wordpress-site', '--connector', 'sim-eu', '--plan'], alice);

    expect(noImage.code).toBe(EXIT.failure);
    expect(noImage.stdout).toMatch(
      /A launch would be refused \(the run would end Aborted\):\n {2}- node "db": image has no native id for connector "sim-bare"\n/,
    );
    expect(quota.code).toBe(EXIT.failure);
    expect(quota.stdout).toMatch(/^sim-eu\s+2\s+0\s+3\s+3$/m);
    expect(quota.stdout).toMatch(/^ {2}- quota exceeded on sim-eu: .*needs 3$/m);
    expect(await runCount()).toBe(0);
  });
});
