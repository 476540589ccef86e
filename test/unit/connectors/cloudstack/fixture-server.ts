/**
 * Serves the recorded CloudStack responses (shared/fixtures/cloudstack) the way
 * the fixtures README says: route on `command`, answer `<command>_<scenario>.json`
 * (`default` unless a test picks another), `queryAsyncJobResult_<jobid>.json` for
 * job polls, HTTP status = `errorcode` for error bodies. A test may add bodies
 * the recordings lack (an empty list, a createTags job). Records every request.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FIXTURES_DIR } from '#test/support/shared';

export interface RecordedRequest {
  method: string;
  command: string;
  params: Record<string, string>;
}

/** A scenario name per command, or a function of the request's parameters (e.g. per page). */
export type Scenarios = Record<string, string | ((params: Record<string, string>) => string)>;

export interface FixtureServer {
  endpoint: string;
  requests: RecordedRequest[];
  /** The requests of one command, in order. */
  of(command: string): RecordedRequest[];
  stop(): Promise<void>;
}

export async function startFixtureServer(scenarios: Scenarios = {}, extra: Record<string, string> = {}): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = Object.fromEntries([...url.searchParams, ...new URLSearchParams(await readBody(req))]);
      const command = params.command ?? '';
      requests.push({ method: req.method ?? 'GET', command, params });
      const pick = scenarios[command];
      const scenario = command === 'queryAsyncJobResult' ? params.jobid : typeof pick === 'function' ? pick(params) : (pick ?? 'default');
      const name = `${command}_${scenario}`;
      const text = extra[name] ?? (await readFile(join(FIXTURES_DIR, 'cloudstack', `${name}.json`), 'utf8').catch(() => undefined));
      if (text === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`no fixture ${name}`);
        return;
      }
      const inner = Object.values(JSON.parse(text) as Record<string, { errorcode?: number }>)[0];
      res.writeHead(inner?.errorcode ?? 200, { 'content-type': 'application/json' }).end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/client/api`,
    requests,
    of: (command) => requests.filter((r) => r.command === command),
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
