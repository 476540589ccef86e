/**
 * Counts every DynamoDB command the product's handlers send, with a middleware on
 * the one table client they share (`tableClient()`): the local stack runs the
 * handlers in this process, so the middleware sees all their table traffic. The
 * local Step Functions keeps its execution records through a client of its own,
 * which is not counted (in AWS that bookkeeping is Step Functions', not Slipway's).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const scopes = new AsyncLocalStorage<string>();

/**
 * Runs `body` with its table commands marked `scope`: what a schedule tick sends
 * itself, apart from the executions it starts (those run in the local Step
 * Functions server's own async context, so they carry no scope).
 */
export function inScope<T>(scope: string, body: () => Promise<T>): Promise<T> {
  return scopes.run(scope, body);
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
/** Commands that accept ReturnConsumedCapacity (every data command DynamoDB has). */
const METERED = new Set([...READS, 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** One command as sent. */
export interface TableOp {
  /** `Date.now()` when it was sent. */
  at: number;
  ms: number;
  command: string;
  /** The partition key's first segment (`RUN`, `SIM`, `CONNECTOR`…), or the index queried. */
  target: string;
  /** Items DynamoDB read for it (a Query's ScannedCount, a GetItem's 1). */
  itemsRead: number;
  itemsWritten: number;
  /** Query/Scan pages are one command each; `page` is true for a command with ExclusiveStartKey. */
  continued: boolean;
  /** Capacity units DynamoDB (Local) reports it consumed, indexes included: RRUs for reads, WRUs for writes on demand. */
  capacityUnits: number;
  /** The `inScope` name it was sent under, if any. */
  scope?: string;
  error?: string;
}

type Input = Record<string, unknown> & {
  Key?: { pk?: unknown };
  Item?: { pk?: unknown };
  IndexName?: string;
  ExpressionAttributeValues?: Record<string, unknown>;
  TransactItems?: unknown[];
  RequestItems?: Record<string, unknown[]>;
  ExclusiveStartKey?: unknown;
};

const round = (n: number) => Math.round(n * 10) / 10;

const segment = (pk: unknown) => (typeof pk === 'string' ? pk.split('#')[0]! : '?');

function targetOf(input: Input): string {
  if (input.IndexName) return `index:${input.IndexName}`;
  if (input.Key) return segment(input.Key.pk);
  if (input.Item) return segment(input.Item.pk);
  const pk = input.ExpressionAttributeValues?.[':pk'];
  if (pk !== undefined) return segment(pk);
  const first = (input.TransactItems?.[0] ?? Object.values(input.RequestItems ?? {})[0]?.[0]) as
    Record<string, { Key?: { pk?: unknown }; Item?: { pk?: unknown } }> | undefined;
  const inner = first ? Object.values(first)[0] : undefined;
  return segment(inner?.Key?.pk ?? inner?.Item?.pk);
}

function itemsWritten(command: string, input: Input): number {
  if (command === 'TransactWriteItemsCommand') return input.TransactItems?.length ?? 0;
  if (command === 'BatchWriteItemCommand') return Object.values(input.RequestItems ?? {}).reduce((n, list) => n + list.length, 0);
  return ['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand'].includes(command) ? 1 : 0;
}

type Consumed = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

function capacityOf(output: Record<string, unknown> | undefined): number {
  const consumed = output?.ConsumedCapacity as Consumed;
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
}

function itemsRead(command: string, output: Record<string, unknown> | undefined): number {
  if (!output) return 0;
  if (command === 'GetItemCommand') return 1;
  if (command === 'QueryCommand' || command === 'ScanCommand') return Number(output.ScannedCount ?? output.Count ?? 0);
  if (command === 'BatchGetItemCommand') return Object.values((output.Responses ?? {}) as Record<string, unknown[]>).reduce((n, l) => n + l.length, 0);
  return 0;
}

/** A running count of table commands; `mark()`/`since()` cut out the commands of one step of a figure. */
export class TableCounter {
  private readonly ops: TableOp[] = [];
  /** Kept bounded: a figure that sends more has a bug, not a result. */
  private static readonly CAP = 2_000_000;

  /** Installs the counting middleware on `doc` (the handlers' shared document client). */
  constructor(doc: DynamoDBDocumentClient) {
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String((context as { commandName?: string }).commandName ?? 'unknown');
        const input = args.input as Input;
        // Asked of every command, so the counts come with the request units DynamoDB would bill.
        const metered = METERED.has(command) && input.ReturnConsumedCapacity === undefined;
        const sent = metered ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } } : args;
        const op: TableOp = {
          at: Date.now(),
          ms: 0,
          command,
          target: targetOf(input),
          itemsRead: 0,
          itemsWritten: itemsWritten(command, input),
          capacityUnits: 0,
          continued: input.ExclusiveStartKey !== undefined,
          scope: scopes.getStore(),
        };
        const started = performance.now();
        if (this.ops.length < TableCounter.CAP) this.ops.push(op);
        try {
          const result = await next(sent);
          op.itemsRead = itemsRead(command, result.output as Record<string, unknown>);
          op.capacityUnits = capacityOf(result.output as Record<string, unknown>);
          return result;
        } catch (error) {
          op.error = (error as Error).name;
          throw error;
        } finally {
          op.ms = performance.now() - started;
        }
      },
      { step: 'initialize', name: 'slipwayBenchTableCounter', override: true },
    );
  }

  /** An index into the log: pass it to `since()`. */
  mark(): number {
    return this.ops.length;
  }

  since(mark: number): TableOp[] {
    return this.ops.slice(mark);
  }
}

/** Totals of a list of ops. */
export function summarize(ops: readonly TableOp[]) {
  const reads = ops.filter((o) => READS.has(o.command));
  const writes = ops.filter((o) => o.itemsWritten > 0);
  return {
    commands: ops.length,
    readCommands: reads.length,
    writeCommands: writes.length,
    itemsRead: reads.reduce((n, o) => n + o.itemsRead, 0),
    itemsWritten: writes.reduce((n, o) => n + o.itemsWritten, 0),
    simCommands: ops.filter((o) => o.target === 'SIM').length,
    readUnits: round(reads.reduce((n, o) => n + o.capacityUnits, 0)),
    writeUnits: round(ops.filter((o) => !READS.has(o.command)).reduce((n, o) => n + o.capacityUnits, 0)),
  };
}

/** Count of ops by `key`. */
export function countBy(ops: readonly TableOp[], key: (op: TableOp) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of ops) counts[key(op)] = (counts[key(op)] ?? 0) + 1;
  return counts;
}
