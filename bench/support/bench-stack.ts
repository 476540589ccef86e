/**
 * The local stack as the figures use it: in memory, schedules far apart (a figure
 * calls the schedule handlers itself when it measures them), and counters on the
 * handlers' table client and on the sim's connector calls.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { ConnectorKind } from '#connectors/contract';
import { simKind } from '#connectors/sim/sim-kind';
import { documentClient, tableClient } from '#functions/commons/clients';
import type { TableClient } from '#functions/store/table-client';
import { LOCAL_AWS } from '#infra/local/dynamodb';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '#infra/local/stack';
import { BenchApi } from './api';
import { ConnectorCounter } from './connector-counter';
import { TableCounter } from './table-counter';

export interface BenchStack {
  stack: LocalStack;
  api: BenchApi;
  adminKey: string;
  /** The handlers' own table client (counted). */
  table: TableClient;
  /** A second client on the same table for the bench's own reads and seeding (not counted). */
  raw: TableClient;
  rawClient: DynamoDBClient;
  sfn: SFNClient;
  tableOps: TableCounter;
  cloudCalls: ConnectorCounter;
  stop(): Promise<void>;
}

/** Stacks running in this process, for a stop on SIGTERM (run.ts's timeout). */
export const liveStacks = new Set<BenchStack>();

/** A day: the local schedule timers never fire while a figure runs. */
const SCHEDULES_OFF_MS = 24 * 60 * 60 * 1000;

export async function startBenchStack(kinds: ConnectorKind[] = []): Promise<BenchStack> {
  const stack = await startLocalStack({ scheduleIntervalMs: SCHEDULES_OFF_MS });
  const table = tableClient();
  const tableOps = new TableCounter(table.doc);
  const cloudCalls = new ConnectorCounter().watch(simKind);
  for (const kind of kinds) cloudCalls.watch(kind);
  const rawClient = new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, ...LOCAL_AWS });
  const sfn = new SFNClient({ endpoint: stack.stepFunctionsEndpoint, ...LOCAL_AWS });
  const bench: BenchStack = {
    stack,
    api: new BenchApi(stack.apiUrl),
    adminKey: stack.adminKey,
    table,
    raw: { doc: documentClient(rawClient), name: LOCAL_TABLE },
    rawClient,
    sfn,
    tableOps,
    cloudCalls,
    async stop() {
      liveStacks.delete(bench);
      cloudCalls.restore();
      rawClient.destroy();
      sfn.destroy();
      await stack.stop();
    },
  };
  liveStacks.add(bench);
  return bench;
}
