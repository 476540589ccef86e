/**
 * HTTP front of the local Step Functions, speaking the AWS JSON 1.0 protocol:
 * `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body. Handlers
 * and the AWS CLI reach it through their usual SFN client with `AWS_ENDPOINT_URL_SFN`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type * as Sfn from '@aws-sdk/client-sfn';
import type { LocalSfnRunner } from './sfn-runner';
import { SfnApiError } from './sfn-errors';

export interface SfnServer {
  /** e.g. `http://127.0.0.1:4581`. */
  endpoint: string;
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Requests are small (an execution input is at most 256 KB in AWS); refuse anything far larger. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A request body whose members have the types the SDK gives them (checked by
 * {@link parseBody}); missing required members are undefined, which the runner reports.
 */
type ApiBody = Sfn.StartExecutionInput &
  Sfn.StopExecutionInput &
  Sfn.DescribeExecutionInput &
  Sfn.ListExecutionsInput &
  Sfn.GetExecutionHistoryInput &
  Sfn.ListStateMachinesInput &
  Sfn.DescribeStateMachineInput;

type Operation = (runner: LocalSfnRunner, body: ApiBody) => Promise<unknown>;

const MEMBER_TYPES: Record<string, 'string' | 'number' | 'boolean'> = {
  stateMachineArn: 'string',
  executionArn: 'string',
  name: 'string',
  input: 'string',
  traceHeader: 'string',
  error: 'string',
  cause: 'string',
  statusFilter: 'string',
  nextToken: 'string',
  maxResults: 'number',
  reverseOrder: 'boolean',
  includeExecutionData: 'boolean',
};

const OPERATIONS: Record<string, Operation> = {
  StartExecution: (runner, body) => runner.startExecution(body),
  StopExecution: (runner, body) => runner.stopExecution(body),
  DescribeExecution: (runner, body) => runner.describeExecution(body),
  ListExecutions: (runner, body) => runner.listExecutions(body),
  GetExecutionHistory: (runner, body) => runner.getExecutionHistory(body),
  ListStateMachines: (runner, body) => runner.listStateMachines(body),
  DescribeStateMachine: (runner, body) => runner.describeStateMachine(body),
};

/**
 * Serves `runner` on 127.0.0.1 only (never another interface: there is no auth).
 * @param options.port the port; 0 or undefined picks a free one.
 */
export async function startSfnServer(options: { runner: LocalSfnRunner; port?: number }): Promise<SfnServer> {
  const server = createServer((request, response) => {
    handle(options.runner, request, response).catch((error: unknown) => {
      console.error('Local Step Functions: request failed', error);
      if (!response.headersSent) send(response, 500, { __type: 'InternalFailure', message: 'Internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('The local Step Functions server has no address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this, close() would wait for them.
        server.closeAllConnections();
      }),
  };
}

async function handle(runner: LocalSfnRunner, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const target = request.headers['x-amz-target'];
  const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const operation = name !== undefined && Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  const body = await readBody(request);
  try {
    if (request.method !== 'POST' || !operation) {
      throw new SfnApiError('UnknownOperationException', `Unknown operation ${String(target)}`);
    }
    send(response, 200, await operation(runner, parseBody(body)));
  } catch (error) {
    if (!(error instanceof SfnApiError)) throw error;
    send(response, 400, { __type: error.code, message: error.message }, error.code);
  }
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep reading (so the client sees the answer) but stop keeping.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function parseBody(body: string | undefined): ApiBody {
  if (body === undefined) throw new SfnApiError('ValidationException', `Request body larger than ${MAX_BODY_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new SfnApiError('SerializationException', 'The request body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SfnApiError('SerializationException', 'The request body is not a JSON object');
  }
  for (const [member, value] of Object.entries(parsed)) {
    const expected = MEMBER_TYPES[member];
    if (expected && value !== null && typeof value !== expected) {
      throw new SfnApiError('SerializationException', `'${member}' must be a ${expected}`);
    }
  }
  return parsed as ApiBody;
}

function send(response: ServerResponse, status: number, payload: unknown, errorType?: string): void {
  // AWS JSON 1.0 sends timestamps as epoch seconds; `this[key]` is the value before Date#toJSON.
  const text = JSON.stringify(payload, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(text);
}
