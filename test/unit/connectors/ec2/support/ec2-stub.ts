/**
 * A recorded-response EC2 endpoint for unit tests: a node:http server on
 * 127.0.0.1 (free port) that routes on the form body's `Action` and answers with
 * files from ../shared/fixtures/ec2, or with XML a test builds from them.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Connector, ConnectorConfig, RateBudget } from '#connectors/contract';
import { openEc2 } from '#connectors/ec2/ec2-kind';
import { FIXTURES_DIR } from '#test/support/shared';

/** One request the stub received. */
export interface StubRequest {
  action: string;
  params: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface StubReply {
  status?: number;
  body: string;
  /** Milliseconds to wait before answering (to trip the client's timeout). */
  delayMs?: number;
}

/** Per Action: one reply for every call, or a list served in order (the last one repeats). */
export type StubRoutes = Record<string, StubReply | StubReply[] | ((request: StubRequest) => StubReply)>;

export interface Ec2Stub {
  endpoint: string;
  requests: StubRequest[];
  /** Requests of one Action, in order. */
  calls(action: string): StubRequest[];
  stop(): Promise<void>;
}

/** A fixture file's text. */
export function fixture(file: string): string {
  return readFileSync(resolve(FIXTURES_DIR, 'ec2', file), 'utf8');
}

/** A fixture served as it was recorded. */
export function fixtureReply(file: string, status = 200): StubReply {
  return { status, body: fixture(file) };
}

/** An EC2 error body (the shape of describe_key_pairs_doesnt_exist.xml). */
export function errorReply(code: string, message: string, status = 400): StubReply {
  return { status, body: `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>` };
}

/** An empty DescribeInstances page: no VM holds the tag. */
export const NO_INSTANCES: StubReply = {
  body: '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet/></DescribeInstancesResponse>',
};

/** Starts the stub; unknown Actions get a 400 `InvalidAction`, which fails the test that caused it. */
export async function startEc2Stub(routes: StubRoutes): Promise<Ec2Stub> {
  const requests: StubRequest[] = [];
  const served = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const action = params.get('Action') ?? '';
      const request = { action, params, headers: req.headers };
      requests.push(request);
      const count = served.get(action) ?? 0;
      served.set(action, count + 1);
      const route = routes[action];
      const reply = typeof route === 'function' ? route(request) : Array.isArray(route) ? route[Math.min(count, route.length - 1)]! : route;
      const answer = () => {
        const { status, body } = reply ?? errorReply('InvalidAction', `the stub has no route for ${action}`);
        res.writeHead(status ?? 200, { 'content-type': 'text/xml;charset=UTF-8' }).end(body);
      };
      if (reply?.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    calls: (action) => requests.filter((r) => r.action === action),
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Keys no test message may ever contain. */
export const STUB_SECRETS = { accessKeyId: 'AKIASTUBKEYID0000001', secretAccessKey: 'stub-secret-access-key-never-shown' };

/** A rate budget that counts what the connector asks of it. */
export function countingBudget(): RateBudget & { taken: number; throttles: number } {
  const budget = {
    taken: 0,
    throttles: 0,
    take: async () => {
      budget.taken += 1;
    },
    throttled: async () => {
      budget.throttles += 1;
    },
  };
  return budget;
}

/** Opens an ec2 connector on the stub, with short timeouts so a stalled reply fails fast. */
export function openOnStub(stub: Ec2Stub, options: { budget?: RateBudget; settings?: Record<string, unknown>; region?: string } = {}): Connector {
  const config: ConnectorConfig = {
    name: 'ec2-stub',
    kind: 'ec2',
    endpoint: stub.endpoint,
    region: options.region ?? 'us-east-1',
    maxIaasWorkers: 2,
    defaultQuotaVms: 10,
    settings: options.settings ?? {},
  };
  return openEc2(
    { config, credentialId: 'cred-ec2', secrets: STUB_SECRETS },
    { budget: options.budget, now: () => new Date('2030-01-01T00:00:00Z') },
    { timeouts: { connectionMs: 1_000, requestMs: 500 } },
  );
}
