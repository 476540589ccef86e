/**
 * B3 — API latency at 50 concurrent clients (GET run, list runs, launch run):
 * p50, p99, req/s, against DynamoDB Local answering the closest single command
 * (GetItem, Query, conditional PutItem) at the same concurrency, in rounds
 * interleaved with the API's.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { RouteKey } from '#functions/http/route-table';
import { indexKeys, keys } from '#functions/store/keys';
import { invoke, type Request } from '#test/support/invoke';
import { TABLE } from '#functions/store/table';
import { appDeployment, launch, simConnector, user } from '../support/api';
import type { BenchStack } from '../support/bench-stack';
import { executionEnded, runExecutionArn } from '../support/histories';
import { loadRound, type LoadRound } from '../support/load';
import { ms, pass, type FigureResult } from '../support/report';
import { runToReady } from '../support/runs';
import { median, pool, round } from '../support/stats';
import { inScope } from '../support/table-counter';

export const B3 = { concurrency: 50, rounds: 3, readRequests: 500, launchRequests: 150, connector: 'sim-b3' } as const;

interface Endpoint {
  name: string;
  reference: string;
  requests: number;
  api: (i: number) => Promise<boolean | string>;
  raw: (i: number) => Promise<boolean | string>;
  /** After an API round: let what it started finish, so the next round starts from the same state. */
  settle?: () => Promise<void>;
}

const ok = (status: number) => (status >= 200 && status < 300 ? true : `HTTP ${status}`);

export async function measureB3(b: BenchStack): Promise<Omit<FigureResult, 'seconds'>> {
  await simConnector(b.api, b.adminKey, B3.connector, { bootSeconds: 0 });
  const reader = await user(b.api, b.adminKey, 'bench-reader');
  await appDeployment(b.api, reader.key, [B3.connector]);
  // Runs to read and list: a page of 25 (the default) of Ready runs.
  const runs = await pool(5, 25, () => runToReady(b, reader.key, B3.connector, 1));
  const runId = runs[0]!.runId;
  // The raw write stores a copy of a real run item (its index attributes too, as putRun writes them).
  const runItem = (await b.raw.doc.send(new GetCommand({ TableName: b.raw.name, Key: keys.run(runId) }))).Item!;
  // Launches by a user with no credential: the API does the same work (validate, store,
  // StartExecution) and the run ends at InitializeRun, keeping background executions light.
  const launcher = await user(b.api, b.adminKey, 'bench-launcher');
  await b.api.must('POST', '/images', launcher.key, { name: 'base', cloudImageIds: { [B3.connector]: 'sim-ubuntu-22.04' } });
  await b.api.must('POST', '/deployments', launcher.key, { name: 'app', nodes: [{ name: 'app', image: 'base' }] });
  let launched: string[] = [];

  const byOwner = TABLE.indexes.byOwner;
  const endpoints: Endpoint[] = [
    {
      name: 'GET /v1/runs/{id}',
      reference: 'GetItem',
      requests: B3.readRequests,
      api: async () => ok((await b.api.get(`/runs/${runId}`, reader.key)).status),
      raw: async () => !!(await b.raw.doc.send(new GetCommand({ TableName: b.raw.name, Key: keys.run(runId) }))).Item || 'no item',
    },
    {
      name: 'GET /v1/runs',
      reference: 'Query (25 items)',
      requests: B3.readRequests,
      api: async () => ok((await b.api.get('/runs', reader.key)).status),
      raw: async () =>
        (
          await b.raw.doc.send(
            new QueryCommand({
              TableName: b.raw.name,
              IndexName: byOwner.name,
              KeyConditionExpression: '#pk = :pk',
              ExpressionAttributeNames: { '#pk': byOwner.partitionKey },
              ExpressionAttributeValues: { ':pk': indexKeys.byOwner('run', reader.id, '').gsi1pk },
              ScanIndexForward: false,
              Limit: 25,
            }),
          )
        ).Count === 25 || 'short page',
    },
    {
      name: 'POST /v1/runs',
      reference: 'PutItem (conditional)',
      requests: B3.launchRequests,
      api: async () => {
        const id = await launch(b.api, launcher.key, B3.connector, 1);
        launched.push(id);
        return true;
      },
      raw: async (i) => {
        await b.raw.doc.send(
          new PutCommand({ TableName: b.raw.name, Item: { ...runItem, pk: `BENCH#put-${Date.now()}-${i}` }, ConditionExpression: 'attribute_not_exists(pk)' }),
        );
        return true;
      },
      settle: async () => {
        await pool(10, launched.length, (i) => executionEnded(b.sfn, runExecutionArn('deploy', launched[i]!), 120_000));
        launched = [];
      },
    },
  ];

  const rows = [];
  const details: Record<string, unknown> = { roundTrips: await roundTrips(b, { runId, reader: reader.key, launcher: launcher.key }) };
  for (const endpoint of endpoints) {
    // Warm-up: one short round of each, not counted.
    await loadRound(B3.concurrency, 100, endpoint.raw);
    await loadRound(B3.concurrency, Math.min(100, endpoint.requests), endpoint.api);
    await endpoint.settle?.();
    const api: LoadRound[] = [];
    const raw: LoadRound[] = [];
    for (let r = 0; r < B3.rounds; r++) {
      raw.push(await loadRound(B3.concurrency, endpoint.requests, endpoint.raw));
      api.push(await loadRound(B3.concurrency, endpoint.requests, endpoint.api));
      await endpoint.settle?.();
    }
    const ratio = median(api.map((a, i) => a.p50 / raw[i]!.p50));
    const errors = api.reduce((n, a) => n + a.errors, 0);
    const m = (rounds: LoadRound[], key: 'p50' | 'p99' | 'perSecond') => median(rounds.map((x) => x[key]));
    rows.push({
      id: 'B3',
      figure: `${endpoint.name} at ${B3.concurrency} clients (median of ${B3.rounds} rounds × ${endpoint.requests})`,
      measured: `p50 ${ms(m(api, 'p50'))}, p99 ${ms(m(api, 'p99'))}, ${m(api, 'perSecond').toFixed(0)} req/s, ${errors} errors`,
      reference: `raw ${endpoint.reference}: p50 ${ms(m(raw, 'p50'))}, p99 ${ms(m(raw, 'p99'))}, ${m(raw, 'perSecond').toFixed(0)} req/s; p50 ${round(ratio)}×`,
      budget: 'p50 ≤ 3 × raw; no errors',
      status: pass(ratio <= 3 && errors === 0),
    });
    details[endpoint.name] = { api, raw, ratio };
  }
  return { id: 'B3', title: 'API latency at 50 concurrent clients', rows, details };
}

/**
 * The table commands one request sends, in order, and its unloaded time: the
 * runs Lambda invoked directly (as API Gateway would) inside a counting scope, so
 * the work of the execution a launch starts (another async context) is not in it.
 */
async function roundTrips(b: BenchStack, who: { runId: string; reader: string; launcher: string }) {
  const requests: [string, RouteKey, Request][] = [
    ['GET run', 'GET /v1/runs/{id}', { pathParameters: { id: who.runId }, apiKey: who.reader }],
    ['list runs', 'GET /v1/runs', { apiKey: who.reader }],
    ['launch run', 'POST /v1/runs', { apiKey: who.launcher, body: { deployment: 'app', connector: B3.connector } }],
  ];
  // Imported now: the entry reads its environment at import, which the stack has set by now.
  const { handler: runsHandler } = await import('#functions/http/runs');
  const out: Record<string, unknown> = {};
  for (const [name, route, request] of requests) {
    const times = [];
    let commands: string[] = [];
    for (let i = 0; i < 5; i++) {
      const mark = b.tableOps.mark();
      const started = performance.now();
      const reply = await inScope('api', () => invoke(runsHandler as never, route, request));
      times.push(performance.now() - started);
      if (reply.status >= 300) throw new Error(`${name}: ${reply.status} ${reply.text}`);
      commands = b.tableOps
        .since(mark)
        .filter((o) => o.scope === 'api')
        .map((o) => `${o.command.replace('Command', '')} ${o.target}`);
    }
    out[name] = { tableCommands: commands.length, commands, unloadedMs: median(times.slice(1)) };
  }
  const raw = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await b.raw.doc.send(new GetCommand({ TableName: b.raw.name, Key: keys.run(who.runId) }));
    raw.push(performance.now() - started);
  }
  out.rawGetItemUnloadedMs = median(raw.slice(1));
  return out;
}
