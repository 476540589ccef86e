/**
 * A stand-in for oned that answers with recorded payloads: each method gets a
 * queue of replies (the last one repeats), every request is kept for assertions.
 * Bound to 127.0.0.1 on a free port; the test that starts it stops it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { readMethodCall, type FakeArg } from '#test/fakes/opennebula/rpc-codec';
import { FIXTURES_DIR } from '#test/support/shared';

export interface Reply {
  body: string;
  /** @default 200 */
  status?: number;
  /** Waits before answering (to provoke a timeout). */
  delayMs?: number;
}

export interface RecordedCall {
  method: string;
  args: FakeArg[];
  body: string;
}

export interface RecordedOned {
  url: string;
  calls: RecordedCall[];
  /** Queues replies for a method; the last queued one answers every later call. */
  reply(method: string, ...replies: Reply[]): void;
  /** Methods called, in order. */
  methods(): string[];
  stop(): Promise<void>;
}

export async function startRecordedOned(): Promise<RecordedOned> {
  const queues = new Map<string, Reply[]>();
  const calls: RecordedCall[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const call = readMethodCall(body);
      const method = call?.method ?? '(not a methodCall)';
      calls.push({ method, args: call?.args ?? [], body });
      const queue = queues.get(method) ?? [];
      const next = queue.length > 1 ? queue.shift()! : queue[0];
      if (!next) return void res.writeHead(500, { 'content-type': 'text/plain' }).end(`no reply recorded for ${method}`);
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(next.status ?? 200, { 'content-type': 'text/xml' }).end(next.body);
      }, next.delayMs ?? 0);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/RPC2`,
    calls,
    reply: (method, ...replies) => void queues.set(method, [...replies]),
    methods: () => calls.map((c) => c.method),
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A recorded payload from fixtures/opennebula/. */
export function fixture(name: string): string {
  return readFileSync(resolve(FIXTURES_DIR, 'opennebula', name), 'utf8');
}

const envelope = (values: string) => `<?xml version="1.0"?>
<methodResponse><params><param><value><array><data>${values}</data></array></value></param></params></methodResponse>`;

/** `[true, payload, 0]`, the payload escaped into a <string> as oned sends it (fixtures README). */
export function ok(payload: string | number): Reply {
  const value = typeof payload === 'number' ? `<i4>${payload}</i4>` : `<string>${escapeXml(payload)}</string>`;
  return {
    body: envelope(`<value><boolean>1</boolean></value><value>${value}</value><value><i4>0</i4></value>`),
  };
}

/** `[false, message, code, objectId, -1]` (5.10+); `arity` 3 or 4 gives the 4.x and 5.0–5.8 shapes. */
export function failure(message: string, code: number, { objectId = -1, arity = 5 }: { objectId?: number; arity?: 3 | 4 | 5 } = {}): Reply {
  const values = [
    `<value><boolean>0</boolean></value>`,
    `<value><string>${escapeXml(message)}</string></value>`,
    `<value><i4>${code}</i4></value>`,
    `<value><i4>${objectId}</i4></value>`,
    `<value><i8>-1</i8></value>`,
  ];
  return { body: envelope(values.slice(0, arity).join('')) };
}

/** A transport-level XML-RPC fault. */
export function fault(code: number, message: string): Reply {
  return {
    body: `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>${code}</int></value></member><member><name>faultString</name><value><string>${escapeXml(message)}</string></value></member></struct></value></fault></methodResponse>`,
  };
}

/** Adds Slipway's tag to the USER_TEMPLATE of each `<VM>` of a recorded payload, in order (the fixtures predate Slipway). */
export function withTag(payload: string, tags: { run: string; node: string; index: number }[]): string {
  const parts = payload.split('</VM>');
  return parts
    .map((part, i) => {
      const tag = tags[i];
      if (!tag || i === parts.length - 1) return part;
      const attributes = `<SLIPWAY_RUN>${tag.run}</SLIPWAY_RUN><SLIPWAY_NODE>${tag.node}</SLIPWAY_NODE><SLIPWAY_INDEX>${tag.index}</SLIPWAY_INDEX>`;
      return part.includes('</USER_TEMPLATE>')
        ? part.replace('</USER_TEMPLATE>', `${attributes}</USER_TEMPLATE>`)
        : `${part}<USER_TEMPLATE>${attributes}</USER_TEMPLATE>`;
    })
    .join('</VM>');
}
