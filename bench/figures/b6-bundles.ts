/**
 * B6 — every Lambda's bundle size and cold start. Bundled with esbuild the way
 * `SlipwayFunction` (infra/constructs/slipway-function.ts) has CDK bundle it: ESM,
 * node22, minified, mainFields module/main, the `require` banner, `@aws-sdk/*`
 * external (the runtime ships SDK v3), and no source map. Cold start: a new `node`
 * process imports the bundle and invokes the handler once (against this stack's
 * DynamoDB Local); measured from the process's own time origin to the answer,
 * so Node's start-up is in both it and the empty handler it is compared with.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { HTTP_FUNCTIONS } from '#functions/http/route-table';
import { SCHEDULES } from '#functions/schedules/schedule-table';
import { TASK_FUNCTIONS } from '#infra/state-machines/task-functions';
import { ENV } from '#functions/commons/env';
import type { BenchStack } from '../support/bench-stack';
import { ms, pass, type FigureResult } from '../support/report';
import { median } from '../support/stats';

export const B6 = { maxBytes: 400 * 1024, repetitions: 3 } as const;

const ROOT = resolve(import.meta.dirname, '../..');
/** Inside node_modules, so the bundles resolve the external `@aws-sdk/*` as Lambda's runtime would provide it. */
const OUT = join(ROOT, 'node_modules', '.cache', 'slipway-bench');
/** The banner SlipwayFunction adds (ESM bundles meet the odd `require`). */
const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** Imports the bundle, invokes it once with the event, prints the times (ms since the process's time origin). */
const HARNESS = `
const imported = performance.now();
const mod = await import(process.argv[2]);
const loaded = performance.now();
let error;
try { await mod.handler(JSON.parse(process.argv[3]), { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 30000 }); }
catch (e) { error = e && e.name; }
const answered = performance.now();
process.stdout.write(JSON.stringify({ startMs: imported, importMs: loaded - imported, invokeMs: answered - loaded, coldMs: answered, error }));
process.exit(0);
`;

interface Lambda {
  name: string;
  entry: string;
  event: unknown;
}

/** An API Gateway v2 event for `GET path` with the admin's key. */
function httpEvent(path: string, key: string) {
  return {
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { authorization: `Bearer ${key}` },
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      requestId: 'bench',
      routeKey: `GET ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    },
  };
}

function lambdas(adminKey: string): Lambda[] {
  const http = Object.entries(HTTP_FUNCTIONS).map(([name, fn]) => {
    // The first GET route without a path parameter (a listing, or /health).
    const route = (fn.routes as readonly string[]).find((r) => r.startsWith('GET ') && !r.includes('{')) ?? fn.routes[0]!;
    return { name, entry: fn.entry, event: httpEvent(route.split(' ')[1]!, adminKey) };
  });
  // Steps get a run that does not exist: each reads the table and fails fast, changing nothing.
  const steps = Object.entries(TASK_FUNCTIONS).map(([name, entry]) => ({
    name,
    entry,
    event: { runId: 'run_benchcoldstart', node: 'app', index: 1, state: 'Ready' },
  }));
  const schedules = Object.entries(SCHEDULES).map(([name, s]) => ({ name, entry: s.entry, event: {} }));
  return [...http, ...steps, ...schedules];
}

async function bundle(name: string, entry: string | { contents: string }): Promise<{ file: string; bytes: number; metafile: Metafile }> {
  const dir = join(OUT, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.mjs');
  const result = await build({
    ...(typeof entry === 'string' ? { entryPoints: [join(ROOT, entry)] } : { stdin: { contents: entry.contents, loader: 'ts', resolveDir: ROOT } }),
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_SHIM },
    minify: true,
    sourcemap: false,
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'error',
    absWorkingDir: ROOT,
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { file, bytes, metafile: result.metafile };
}

/** The biggest contributors to a bundle, by package (or by folder of the project). */
function topInputs(metafile: Metafile, count = 4): string[] {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const nm = path.lastIndexOf('node_modules/');
      const key =
        nm >= 0
          ? path
              .slice(nm + 13)
              .split('/')
              .slice(0, path.slice(nm + 13).startsWith('@') ? 2 : 1)
              .join('/')
          : path.split('/').slice(0, 2).join('/');
      byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KB`);
}

interface Cold {
  coldMs: number;
  startMs: number;
  importMs: number;
  invokeMs: number;
  error?: string;
}

function coldStart(harness: string, file: string, event: unknown): Promise<Cold> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [harness, file, JSON.stringify(event)], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      try {
        done(JSON.parse(out) as Cold);
      } catch {
        fail(new Error(`cold start of ${file} printed no timing: ${out.slice(0, 200)}`));
      }
    });
  });
}

export async function measureB6(b: BenchStack): Promise<Omit<FigureResult, 'seconds'>> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const harness = join(OUT, 'harness.mjs');
  writeFileSync(harness, HARNESS);
  const empty = await bundle('empty', { contents: 'export const handler = async () => ({ statusCode: 200 });' });
  // The least a function that reads the table can do: load the DynamoDB document client and read one item.
  const floor = await bundle('sdk-floor', {
    contents: [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
      `export const handler = async () => DynamoDBDocumentClient.from(new DynamoDBClient({})).send(new GetCommand({ TableName: process.env.${ENV.table}, Key: { pk: 'B6', sk: 'B6' } }));`,
    ].join('\n'),
  });
  const fns = [];
  for (const fn of lambdas(b.adminKey)) fns.push({ ...fn, ...(await bundle(fn.name, fn.entry)) });

  // Warm the disk cache and the SDK's files once; then interleave empty and real cold starts.
  await coldStart(harness, empty.file, {});
  await coldStart(harness, floor.file, {});
  for (const fn of fns) await coldStart(harness, fn.file, fn.event);
  const emptyRuns: Cold[] = [];
  const floorRuns: Cold[] = [];
  const runs = new Map<string, Cold[]>(fns.map((f) => [f.name, []]));
  for (let rep = 0; rep < B6.repetitions; rep++) {
    for (const fn of fns) {
      emptyRuns.push(await coldStart(harness, empty.file, {}));
      floorRuns.push(await coldStart(harness, floor.file, {}));
      runs.get(fn.name)!.push(await coldStart(harness, fn.file, fn.event));
    }
  }
  const emptyMs = median(emptyRuns.map((r) => r.coldMs));
  const floorMs = median(floorRuns.map((r) => r.coldMs));
  const measured = fns.map((fn) => {
    const of = runs.get(fn.name)!;
    return {
      name: fn.name,
      bytes: fn.bytes,
      coldMs: median(of.map((r) => r.coldMs)),
      importMs: median(of.map((r) => r.importMs)),
      invokeMs: median(of.map((r) => r.invokeMs)),
      error: of[0]?.error,
      top: topInputs(fn.metafile),
      // What the runtime loads besides the bundle (the SDK v3 clients it ships).
      external: [
        ...new Set(Object.values(fn.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path))),
      ].sort(),
    };
  });
  const biggest = measured.reduce((m, f) => (f.bytes > m.bytes ? f : m), measured[0]!);
  const slowest = measured.reduce((m, f) => (f.coldMs > m.coldMs ? f : m), measured[0]!);
  const overSize = measured.filter((f) => f.bytes > B6.maxBytes);
  const overCold = measured.filter((f) => f.coldMs > 2 * emptyMs);
  const kb = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(0)} KB`);
  return {
    id: 'B6',
    title: 'Lambda bundles and cold starts',
    rows: [
      {
        id: 'B6',
        figure: `bundle size, ${measured.length} Lambdas (esbuild as SlipwayFunction, no source maps)`,
        measured: `largest ${biggest.name} ${kb(biggest.bytes)}, smallest ${kb(Math.min(...measured.map((f) => f.bytes)))}; ${overSize.length} over budget`,
        reference: `empty handler ${kb(empty.bytes)}`,
        budget: '≤ 400 KB each',
        status: pass(overSize.length === 0),
      },
      {
        id: 'B6',
        figure: `cold start (new process → first answer), median of ${B6.repetitions}`,
        measured: `slowest ${slowest.name} ${ms(slowest.coldMs)} (import ${ms(slowest.importMs)}, invoke ${ms(slowest.invokeMs)}); fastest ${ms(Math.min(...measured.map((f) => f.coldMs)))}; ${overCold.length} over budget`,
        reference: `empty handler ${ms(emptyMs)}; one GetItem with the DynamoDB SDK ${ms(floorMs)} (${(floorMs / emptyMs).toFixed(1)}× empty); median function ${(median(measured.map((f) => f.coldMs)) / floorMs).toFixed(2)}× that`,
        budget: '≤ 2 × empty',
        status: pass(overCold.length === 0),
      },
    ],
    details: { emptyBytes: empty.bytes, emptyMs, emptyRuns, sdkFloorMs: floorMs, sdkFloorRuns: floorRuns, functions: measured },
  };
}
