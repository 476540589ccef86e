/**
 * A minimal local EventBridge: one bus, PutEvents only, over the AWS JSON 1.1
 * protocol (`POST /` with `X-Amz-Target: AWSEvents.PutEvents`), the way
 * sfn-server.ts serves Step Functions. Handlers reach it through their usual
 * EventBridge client with `AWS_ENDPOINT_URL_EVENTBRIDGE`. Each accepted entry is
 * matched against the bus's rules and handed to each matching rule's target as an
 * EventBridge event, after PutEvents has answered (as AWS invokes targets
 * asynchronously); targets run one event at a time, in the order the events were
 * put, and a failing invocation is tried again twice, as Lambda's asynchronous
 * invocation does. Binds 127.0.0.1 only.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { EventBridgeEvent } from 'aws-lambda';
import { matchesPattern, type Pattern } from './event-pattern';

export interface LocalRule {
  pattern: Pattern;
  target: (event: EventBridgeEvent<string, unknown>) => Promise<unknown>;
}

export interface LocalEventBridge {
  /** e.g. `http://127.0.0.1:4010`. */
  endpoint: string;
  /** Resolves once every event put so far has been handed to its targets (or `timeoutMs` passed). */
  idle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const TARGET = 'AWSEvents.PutEvents';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 1024 * 1024;
/** EventBridge takes at most 10 entries per call and 256 KB of them. */
const MAX_ENTRIES = 10;
/** Invocations of a target for one event (the first and two retries). */
const TRIES = 3;
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
/** How long stop() waits for events still queued. */
const DRAIN_MS = 10_000;

interface Entry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Time?: unknown;
  Resources?: unknown;
}

class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startEventBridgeServer(options: { busName: string; rules: LocalRule[]; port?: number }): Promise<LocalEventBridge> {
  const queue: (() => Promise<void>)[] = [];
  let pumping = false;
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    } finally {
      pumping = false;
    }
  };

  const deliver = (rule: LocalRule, event: EventBridgeEvent<string, unknown>) => async () => {
    for (let attempt = 1; attempt <= TRIES; attempt++) {
      try {
        await rule.target(event);
        return;
      } catch (error) {
        if (attempt === TRIES) console.error(`local EventBridge: target failed ${TRIES} times for event ${event.id} (${event['detail-type']}):`, error);
        else await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  };

  const isThisBus = (name: unknown) =>
    name === undefined || name === options.busName || (typeof name === 'string' && name.endsWith(`:event-bus/${options.busName}`));

  function putEvents(body: { Entries?: unknown }) {
    const entries = body.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw new ApiError('ValidationException', `Entries must hold 1 to ${MAX_ENTRIES} entries`);
    }
    const results = (entries as Entry[]).map((entry) => {
      if (typeof entry.Source !== 'string' || typeof entry.DetailType !== 'string' || typeof entry.Detail !== 'string') {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required strings' };
      }
      if (!isThisBus(entry.EventBusName)) return { ErrorCode: 'InvalidArgument', ErrorMessage: `Event bus ${String(entry.EventBusName)} does not exist.` };
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
      }
      if (detail === null || typeof detail !== 'object' || Array.isArray(detail))
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object' };
      const id = randomUUID();
      const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date();
      const event: EventBridgeEvent<string, unknown> = {
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: ACCOUNT,
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: REGION,
        resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
        detail,
      };
      for (const rule of options.rules) if (matchesPattern(rule.pattern, event)) queue.push(deliver(rule, event));
      return { EventId: id };
    });
    void pump();
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('Local EventBridge: request failed', error);
      if (!response.headersSent) send(response, 500, { __type: 'InternalException', message: 'Internal error' });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    try {
      if (request.method !== 'POST' || request.headers['x-amz-target'] !== TARGET) {
        throw new ApiError('UnknownOperationException', `Unknown operation ${String(request.headers['x-amz-target'])}: this bus serves PutEvents only`);
      }
      if (text === undefined) throw new ApiError('ValidationException', `Request body larger than ${MAX_BODY_BYTES} bytes`);
      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        throw new ApiError('SerializationException', 'The request body is not JSON');
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw new ApiError('SerializationException', 'The request body is not a JSON object');
      send(response, 200, putEvents(body as { Entries?: unknown }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send(response, 400, { __type: error.code, message: error.message }, error.code);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('The local EventBridge server has no address');
  const idle = async (timeoutMs = Number.POSITIVE_INFINITY) => {
    const until = Date.now() + timeoutMs;
    while ((pumping || queue.length) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    idle,
    async stop() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await idle(DRAIN_MS);
      queue.length = 0;
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, payload: unknown, errorType?: string): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(text);
}
