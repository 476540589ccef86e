/**
 * A fake CloudStack API for tests, built from the developer guide and the
 * recorded responses: a node:http server on 127.0.0.1 (a free port) that checks
 * every request's signature, keeps VMs, templates and jobs in memory, injects a transient
 * failure every N signed calls, and counts the calls per command.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeApiError, type FakeBehaviour } from './command-kit';
import { imageCommands } from './image-commands';
import { lookupCommands } from './lookup-commands';
import { signatureProblem } from './signature';
import { FakeStore, type FakeTemplate, type FakeVm } from './store';
import { vmCommands } from './vm-commands';

export interface FakeCloudStackOptions extends Partial<FakeBehaviour> {
  /** Every Nth signed call fails with a 5xx before doing anything; 0 never. @default 7 */
  transientEvery?: number;
  /** Deploys that make their VM and then answer 530, as if the response were lost. @default 0 */
  lostDeployResponses?: number;
}

export interface FakeCloudStack {
  /** The API URL to configure as the connector's endpoint. */
  endpoint: string;
  apiKey: string;
  secretKey: string;
  /** Calls received per command (signed or not, injected failures included). */
  calls: Record<string, number>;
  /** Transient failures injected so far, and requests refused for their signature. */
  stats: { injected: number; rejected: number };
  /** Mutable: tests may change timings or queue failures between calls. */
  behaviour: FakeBehaviour & { transientEvery: number; lostDeployResponses: number };
  /** The VMs the cloud holds now (destroyed-but-not-expunged ones included). */
  vms(): FakeVm[];
  /** The templates the account made (being made, or ready). */
  templates(): FakeTemplate[];
  /** Zeroes the call counters and stats, to measure one phase. */
  resetCounters(): void;
  stop(): Promise<void>;
}

const COMMANDS = { ...vmCommands, ...lookupCommands, ...imageCommands };

export async function startFakeCloudStack(options: FakeCloudStackOptions = {}): Promise<FakeCloudStack> {
  const apiKey = `fake-${randomBytes(12).toString('base64url')}`;
  const secretKey = randomBytes(32).toString('base64url');
  const store = new FakeStore();
  const behaviour = {
    deployJobMs: 1500,
    jobMs: 300,
    maxPageSize: 500,
    deployJobFailures: [],
    transientEvery: 7,
    lostDeployResponses: 0,
    ...options,
  };
  const calls: Record<string, number> = {};
  const stats = { injected: 0, rejected: 0 };
  let signedCalls = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = req.method === 'POST' ? await readBody(req) : '';
    const raw = new Map<string, string>();
    for (const [name, value] of [...url.searchParams, ...new URLSearchParams(body)]) if (!raw.has(name)) raw.set(name, value);
    const params = new Map([...raw].map(([name, value]) => [name.toLowerCase(), value] as const).reverse());
    const command = params.get('command') ?? '';
    const key = `${command.toLowerCase()}response`;
    const send = (status: number, payload: unknown, type = 'application/json; charset=UTF-8') => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    const fail = (e: FakeApiError, replyKey = key) =>
      send(e.errorcode, { [replyKey]: { uuidList: [], errorcode: e.errorcode, cserrorcode: e.cserrorcode, errortext: e.errortext } });

    calls[command] = (calls[command] ?? 0) + 1;
    store.tick(Date.now());
    if (signatureProblem(raw, (k) => (k === apiKey ? secretKey : undefined), new Date())) {
      stats.rejected += 1;
      return fail(new FakeApiError(401, 'unable to verify user credentials and/or request signature', 9999));
    }
    signedCalls += 1;
    if (behaviour.transientEvery > 0 && signedCalls % behaviour.transientEvery === 0) {
      stats.injected += 1;
      // Alternate a CloudStack internal error and a proxy's bare 503: clients meet both.
      if (stats.injected % 2 === 1) return fail(new FakeApiError(530, 'Internal error executing command, please contact your system administrator', 9999));
      return send(503, '<html><body><h1>503 Service Unavailable</h1></body></html>', 'text/html');
    }
    const run = COMMANDS[command.toLowerCase()];
    if (!run) return fail(new FakeApiError(432, 'The given command does not exist or it is not available for user', 9999), 'errorresponse');
    try {
      const result = run({ params, store, behaviour });
      if (command.toLowerCase() === 'deployvirtualmachine' && behaviour.lostDeployResponses > 0) {
        behaviour.lostDeployResponses -= 1;
        return fail(new FakeApiError(530, 'Internal error executing command, please contact your system administrator', 9999));
      }
      send(200, { [key]: result });
    } catch (error) {
      if (error instanceof FakeApiError) return fail(error);
      send(500, String(error), 'text/plain');
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/client/api`,
    apiKey,
    secretKey,
    calls,
    stats,
    behaviour,
    vms: () => [...store.vms.values()],
    templates: () => [...store.templates.values()],
    resetCounters: () => {
      for (const command of Object.keys(calls)) delete calls[command];
      Object.assign(stats, { injected: 0, rejected: 0 });
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
