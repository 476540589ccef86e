/**
 * No bad input reaches a server error: thousands of generated hostile requests
 * against every write route (POST, PUT, DELETE), with bodies the route's own
 * schema certainly refuses (derived from its JSON Schema), hostile headers
 * (content types, Idempotency-Key values, Authorization shapes) and hostile paths
 * (percent-encoding, dot segments, very long ids). Every answer is a 4xx
 * problem+json that the OpenAPI document declares, and the table is exactly as it
 * was. Handlers are driven directly for speed; a smaller sample goes through the
 * local HTTP server. The seed is fixed and printed: FUZZ_SEED=<n> replays another.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { newSecretToken } from '#functions/commons/api-keys';
import { allRoutes } from '#functions/http/api/all-routes';
import { httpHandler } from '#functions/http/kit/http-handler';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '#functions/http/kit/problem';
import type { RouteSpec } from '#functions/http/kit/route';
import type { RouteKey } from '#functions/http/route-table';
import { putRun } from '#functions/store/runs';
import { seedAdmin } from '#functions/store/users';
import { compileRoutes, startHttpServer, type HttpLambda } from '#infra/local/http-server';
import { brokenJson, hostileString, invalidBody, type JsonSchema } from '#test/support/hostile-values';
import { invoke, startTestStack, type TestStack } from '#test/support/invoke';
import { routeTableChecker } from '#test/support/openapi-check';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_122);
/** Requests sent at once: DynamoDB Local answers a batch faster than one at a time. */
const BATCH = 20;
const DIRECT_BATCHES = 260;
const HTTP_BATCHES = 20;

let stack: TestStack;
let handler: ReturnType<typeof httpHandler>;
/** An admin's and a user's API keys, and what the user owns: the paths that reach past the 404. */
const world = { adminKey: '', userKey: '', userId: '', runId: 'run_fuzz', credentialId: '' };

const WRITE_ROUTES = allRoutes().filter((r) => /^(POST|PUT|DELETE) /.test(r.key));
const sent = new Map<string, number>();

/** A hostile request, as either driver sends it. */
interface HostileRequest {
  /** The route's key (the spec itself would flood a counterexample's print-out). */
  key: RouteKey;
  pathParameters: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** A valid body for `route`: its schema's example, or its collection's create example, trimmed to its fields (and a version). */
function baseBody(route: RouteSpec): Record<string, unknown> {
  const schema = jsonSchema(route.body!);
  const collection = route.key.split(' ')[1]!.split('/').slice(0, 3).join('/');
  const create = WRITE_ROUTES.find((r) => r.key === `POST ${collection}`);
  const example =
    (
      (z.globalRegistry.get(route.body!)?.examples ?? (create?.body && z.globalRegistry.get(create.body)?.examples)) as Record<string, unknown>[] | undefined
    )?.[0] ?? {};
  const fields = Object.fromEntries(Object.entries(example).filter(([k]) => k in (schema.properties ?? {})));
  return 'version' in (schema.properties ?? {}) ? { ...fields, version: 1 } : fields;
}

/** Ids the world holds, for routes whose body alone is enough to refuse them. */
function existing(name: string, route: RouteSpec): string[] {
  if (route.key.includes('/connectors/') || name === 'connector') return ['sim-eu'];
  if (route.key.includes('/credentials/')) return [world.credentialId];
  if (route.key.includes('/images/')) return ['ubuntu'];
  if (route.key.includes('/deployments/')) return ['site'];
  if (name === 'user') return [world.userId];
  if (name === 'parameter') return ['web.1:db_host'];
  if (route.key.includes('/runs/')) return [world.runId];
  return [];
}

const hostilePathValue = fc.oneof(
  fc.constantFrom('..', '.', '%2e%2e', '%00', '..%2f..%2f', 'a/b', ' ', '\u0000', 'web.1:__proto__', 'web.1:constructor', '__proto__', 'constructor'),
  // A path is bytes: a lone surrogate cannot be sent, so it never reaches a handler.
  hostileString.filter((s) => s.length > 0 && (s as string & { isWellFormed(): boolean }).isWellFormed()),
  fc.integer({ min: 129, max: 5_000 }).map((n) => 'x'.repeat(n)),
  fc.stringMatching(/^[a-z0-9]{1,20}$/).map((s) => `nope-${s}`),
);

const hostileAuthorization = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'bearer slw_nope',
    'Token abc',
    'Bearer a b',
    `Bearer slw_${'a'.repeat(5_000)}`,
    'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  ),
  hostileString.map((s) => `Bearer ${s}`),
);

const hostileContentType = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    '',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
    'application/json-seq',
    'text/json',
    'application/xml',
    '*/*',
  ),
  hostileString,
);

const hostileIdempotencyKey = fc.oneof(
  fc.constantFrom('', ' ', 'a'.repeat(255), 'a'.repeat(256), 'key with spaces', '../../x', '%00'),
  hostileString,
  fc.integer({ min: 256, max: 10_000 }).map((n) => 'k'.repeat(n)),
);

/** Sometimes valid, mostly, sometimes hostile: a valid value lets the other hostile parts reach deeper. */
const mostly = <T, U>(valid: T, hostile: fc.Arbitrary<U>) => fc.oneof({ weight: 4, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: hostile });

/** A request `route` must refuse: a body its schema refuses, or (without a body) an id that does not exist. */
function hostileRequest(route: RouteSpec): fc.Arbitrary<HostileRequest> {
  const names = [...route.key.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const key = route.access === 'admin' ? world.adminKey : world.userKey;
  const path = fc.record(
    Object.fromEntries(
      names.map((name) => {
        const known = route.body ? existing(name, route) : [];
        return [name, known.length ? fc.oneof(fc.constantFrom(...known), hostilePathValue) : hostilePathValue];
      }),
    ),
  ) as fc.Arbitrary<Record<string, string>>;
  const body: fc.Arbitrary<string | undefined> = route.body
    ? fc.oneof(
        { weight: 8, arbitrary: invalidBody(jsonSchema(route.body), baseBody(route)).map((b) => JSON.stringify(b)) },
        { weight: 1, arbitrary: brokenJson },
        { weight: 1, arbitrary: fc.integer({ min: 400 * 1024 + 1, max: 5 * 1024 * 1024 }).map((n) => `{"recipe":"${'a'.repeat(n)}"}`) },
      )
    : fc.oneof(fc.constant(undefined), hostileString, brokenJson);
  return fc
    .record({
      pathParameters: path,
      authorization: mostly(`Bearer ${key}`, hostileAuthorization),
      contentType: mostly('application/json', hostileContentType),
      idempotencyKey: route.key.startsWith('POST ') ? fc.option(hostileIdempotencyKey, { freq: 2 }) : fc.constant(null),
      body,
    })
    .map(({ pathParameters, authorization, contentType, idempotencyKey, body: text }) => ({
      key: route.key,
      pathParameters,
      headers: Object.fromEntries(
        Object.entries({ authorization, 'content-type': text === undefined ? undefined : contentType, 'idempotency-key': idempotencyKey ?? undefined }).filter(
          (e): e is [string, string] => e[1] !== undefined,
        ),
      ),
      body: text,
    }));
}

const anyHostileRequest = fc.constantFrom(...WRITE_ROUTES).chain(hostileRequest);

/** What is wrong with an answer to a hostile request, or undefined when it is a declared 4xx problem+json. */
function fault(req: HostileRequest, status: number, contentType: string, text: string): string | undefined {
  const [method, template] = req.key.split(' ') as [string, string];
  let why: string | undefined;
  if (status < 400 || status > 499) why = `answered ${status}`;
  else if (!contentType.startsWith('application/problem+json')) why = `content type ${contentType}`;
  else {
    try {
      routeTableChecker().check(method, template, { status, contentType, text, body: JSON.parse(text) });
    } catch (error) {
      why = (error as Error).message;
    }
  }
  if (!why) return undefined;
  return `${req.key} → ${status} ${JSON.stringify(req.pathParameters).slice(0, 200)} headers ${JSON.stringify(req.headers).slice(0, 200)} body ${String(req.body).slice(0, 300)}: ${why} ${text.slice(0, 300)}`;
}

/** Every item of the test's own table, in key order. */
async function dumpTable(): Promise<string> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.table.doc.send(new ScanCommand({ TableName: stack.table.name, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort());
}

async function sendDirect(req: HostileRequest): Promise<string | undefined> {
  sent.set(req.key, (sent.get(req.key) ?? 0) + 1);
  // `invoke` adds a JSON content type to a body; an empty one stands for none.
  const headers = req.body === undefined ? req.headers : { 'content-type': '', ...req.headers };
  const response = await invoke(handler, req.key, { pathParameters: req.pathParameters, headers, body: req.body });
  return fault(req, response.status, response.headers['content-type'] ?? '', response.text);
}

beforeAll(async () => {
  console.info(`hostile-input: seed ${SEED} (FUZZ_SEED=${SEED} replays this run)`);
  stack = await startTestStack();
  world.adminKey = newSecretToken('slw');
  await seedAdmin(stack.table, world.adminKey, new Date());
  handler = httpHandler(allRoutes(), () => stack.deps);
  const must = async (key: RouteKey, apiKey: string, body: unknown) => {
    const response = await invoke(handler, key, { apiKey, body });
    if (response.status !== 201) throw new Error(`${key}: ${response.text}`);
    return response.body as { id: string; apiKey?: string };
  };
  const user = await must('POST /v1/users', world.adminKey, { name: 'fuzzer' });
  Object.assign(world, { userKey: user.apiKey, userId: user.id });
  await must('POST /v1/connectors', world.adminKey, { name: 'sim-eu', kind: 'sim', defaultQuotaVms: 4, maxIaasWorkers: 2 });
  world.credentialId = (await must('POST /v1/credentials', world.userKey, { connector: 'sim-eu', secrets: { apiKey: 'k', apiSecret: 's' } })).id;
  await must('POST /v1/images', world.userKey, { name: 'ubuntu', cloudImageIds: { 'sim-eu': 'sim-ubuntu' } });
  const deployment = await must('POST /v1/deployments', world.userKey, { name: 'site', nodes: [{ name: 'web', image: 'ubuntu' }] });
  const now = new Date().toISOString();
  await putRun(stack.table, {
    id: world.runId,
    owner: world.userId,
    deployment: deployment.id,
    deploymentVersion: 1,
    connector: 'sim-eu',
    nodes: {},
    state: 'Ready',
    tags: {},
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}, 120_000);

afterAll(async () => {
  const total = [...sent.values()].reduce((a, b) => a + b, 0);
  console.info(`hostile-input: ${total} requests (seed ${SEED}): ${[...sent].map(([k, n]) => `${k} ${n}`).join('; ')}`);
  await stack?.stop();
});

describe('hostile input', () => {
  it('every write route answers generated hostile requests with a declared 4xx problem+json and leaves the table as it was', async () => {
    // Prepare
    const before = await dumpTable();

    // Act
    await fc.assert(
      fc.asyncProperty(fc.array(anyHostileRequest, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const faults = (await Promise.all(batch.map(sendDirect))).filter(Boolean);
        if (faults.length) throw new Error(faults.join('\n'));
      }),
      { seed: SEED, numRuns: DIRECT_BATCHES, endOnFailure: true },
    );

    // Assess
    expect(await dumpTable()).toBe(before);
  }, 120_000);

  it('the local HTTP server answers a sample of them, raw paths included, the same way', async () => {
    // Prepare
    const before = await dumpTable();
    const server = await startHttpServer(compileRoutes(allRoutes().map((r) => ({ key: r.key, handler: handler as unknown as HttpLambda }))), 0);
    const port = Number(new URL(server.url).port);
    /** Raw path (dot segments and bad escapes kept as they are: fetch would normalise them). */
    const sendRaw = (req: HostileRequest, encode: boolean) =>
      new Promise<string | undefined>((resolve, reject) => {
        const path = req.key
          .split(' ')[1]!
          .replace(/\{(\w+)\}/g, (_, name: string) => (encode ? encodeURIComponent(req.pathParameters[name]!) : req.pathParameters[name]!));
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([, v]) => /^[\x20-\x7e]*$/.test(v)));
        const outgoing = httpRequest({ host: '127.0.0.1', port, method: req.key.split(' ')[0], path, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            sent.set(`HTTP ${req.key}`, (sent.get(`HTTP ${req.key}`) ?? 0) + 1);
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            // The server's own refusals: a raw path that no longer matches the route (a dot segment, a slash) is
            // a 404, or a 405 when it now matches another route's path (`/v1/orders/./cancel` is `/v1/orders/cancel`,
            // a GET route's); headers past Node's limit a 431. Not the route's: only the problem shape is checked.
            // (encodeURIComponent leaves `.` and `..` as they are: such a path is rewritten however it was sent.)
            const rewritten = !encode || /(^|\/)\.{1,2}(\/|$)/.test(path);
            const moved = rewritten && ((status === 404 && text.includes('"No route for')) || (status === 405 && text.includes('is not allowed on')));
            const own = moved || status === 431;
            const contentType = String(res.headers['content-type'] ?? '');
            if (own)
              resolve(contentType === PROBLEM_CONTENT_TYPE && ProblemSchema.safeParse(JSON.parse(text)).success ? undefined : `${req.key}: ${status} ${text}`);
            else resolve(fault(req, status, contentType, text));
          });
        });
        outgoing.on('error', reject);
        // An explicit length: Node sends a DELETE's body unframed otherwise, and the server reads it as a broken request.
        if (req.body !== undefined) outgoing.setHeader('content-length', Buffer.byteLength(req.body));
        outgoing.end(req.body);
      });
    const printablePath = (req: HostileRequest) => Object.values(req.pathParameters).every((v) => /^[\x21-\x7e]+$/.test(v));

    // Act
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(anyHostileRequest, fc.boolean()), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const faults = (await Promise.all(batch.map(([req, raw]) => sendRaw(req, !(raw && printablePath(req)))))).filter(Boolean);
          if (faults.length) throw new Error(faults.join('\n'));
        }),
        { seed: SEED, numRuns: HTTP_BATCHES, endOnFailure: true },
      );
    } finally {
      await server.stop();
    }

    // Assess
    expect(await dumpTable()).toBe(before);
  }, 120_000);
});
