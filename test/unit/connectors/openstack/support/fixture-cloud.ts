/**
 * A recorded OpenStack on 127.0.0.1: serves the files of shared/fixtures/openstack
 * (byte for byte, or with Slipway's tag added to chosen servers) from a node:http
 * server on a free port, and records every request. Per the fixtures README,
 * `POST /v3/auth/tokens` answers `_v3__auth.json` with 201 and the token in
 * `X-Subject-Token`. The catalog's hosts are rewritten to path prefixes of this
 * server (`http://192.168.18.100:8774/v2/…` → `<origin>/192.168.18.100-8774/v2/…`),
 * so a test sees which catalog URL a request used.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { InstanceTag } from '#connectors/contract';
import { tagPairs } from '#connectors/commons/tag';
import { FIXTURES_DIR } from '#test/support/shared';

/** The recorded catalog's public Nova URL (project-scoped) and Glance root, as rewritten. */
export const NOVA = '/192.168.18.100-8774/v2/9c4693dce56b493b9b83197d900f7fba';
export const GLANCE = '/192.168.18.100-9292/v2';
export const KEYSTONE = '/keystone/v3';
/** The recorded catalog's region (lower-case r, as recorded). */
export const REGION = 'regionOne';

export interface Reply {
  status?: number;
  /** A file of shared/fixtures/openstack. */
  file?: string;
  /** A body given inline (for replies no fixture records). */
  body?: string;
  headers?: Record<string, string>;
}

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Route {
  method: string;
  path: string;
  query?: Record<string, string>;
  replies: Reply[];
}

export interface FixtureCloud {
  origin: string;
  keystoneUrl: string;
  requests: SeenRequest[];
  /** Answers `method path` (and `query`, when given) with `replies` in turn; the last one repeats. */
  on(method: string, path: string, replies: Reply | Reply[], query?: Record<string, string>): void;
  close(): Promise<void>;
}

/** A fixture file's text. */
export function fixture(file: string): string {
  return readFileSync(resolve(FIXTURES_DIR, 'openstack', file), 'utf8');
}

/** A servers fixture with Slipway's tag written into the metadata of the servers named by id. */
export function withTags(file: string, tags: Record<string, InstanceTag>, extra: Record<string, unknown> = {}): string {
  const body = JSON.parse(fixture(file)) as { servers?: { id: unknown; metadata?: Record<string, string> }[] };
  for (const server of body.servers ?? []) {
    const tag = tags[String(server.id)];
    if (tag) server.metadata = { ...server.metadata, ...tagPairs(tag) };
  }
  return JSON.stringify({ ...body, ...extra });
}

/**
 * The recorded ERROR-state server as a real Nova lists it: without `fault`
 * (Nova's list leaves it out; only the show reply has it), plus the show reply
 * carrying `fault` (the message the OpenStack peer gives for a full cloud).
 */
export function errorServerListAndShow(tag: InstanceTag, faultMessage = 'No valid host was found. '): { id: string; list: string; show: string } {
  const body = JSON.parse(withTags('_servers_detail_ERROR_STATE.json', { '2d05bd68-3fbb-4b47-9f38-c690a5d93e45': tag })) as {
    servers: Record<string, unknown>[];
  };
  const server = body.servers[0]!;
  delete server.fault;
  const show = { server: { ...server, fault: { code: 500, created: '2013-12-05T21:07:07Z', message: faultMessage } } };
  return { id: String(server.id), list: JSON.stringify(body), show: JSON.stringify(show) };
}

/** Keystone's reply: the recorded token body, with a token of our choosing in the header. */
export function tokenReply(token: string): Reply {
  return { status: 201, file: '_v3__auth.json', headers: { 'x-subject-token': token } };
}

export async function startFixtureCloud(): Promise<FixtureCloud> {
  const routes: Route[] = [];
  const requests: SeenRequest[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', origin);
      const seen = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      const route = [...routes]
        .reverse()
        .find((r) => r.method === seen.method && r.path === seen.path && Object.entries(r.query ?? {}).every(([k, v]) => seen.query.get(k) === v));
      const reply = route ? (route.replies.length > 1 ? route.replies.shift()! : route.replies[0]!) : { status: 404, file: '_os_keypairs_not_found.json' };
      let text = reply.body ?? (reply.file ? fixture(reply.file) : '');
      if (reply.file === '_v3__auth.json') text = text.replace(/http:\/\/([A-Za-z0-9.]+):(\d+)/g, `${origin}/$1-$2`);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    keystoneUrl: `${origin}${KEYSTONE}`,
    requests,
    on(method, path, replies, query) {
      routes.push({ method, path, query, replies: Array.isArray(replies) ? [...replies] : [replies] });
    },
    close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
  };
}
