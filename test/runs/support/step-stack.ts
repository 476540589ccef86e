/**
 * DynamoDB Local and AppDeps for the run step, schedule and run-module tests: what
 * `startTestStack` gives, plus a way to start over on an empty table. Under the
 * fast config (vitest.stryker.config.ts) one DynamoDB Local started by its global
 * setup serves every file, each on tables of its own: mutation testing reruns a
 * file per mutant and cannot afford a JVM start each time.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { documentClient } from '#functions/commons/clients';
import type { AppDeps } from '#functions/commons/deps';
import type { TableClient } from '#functions/store/table-client';
import { ensureTable, LOCAL_AWS, startDynamo } from '#infra/local/dynamodb';
import { testDeps } from '#test/support/invoke';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by test/runs/support/shared-dynamo.ts (the fast config's global setup). */
    slipwayDynamoEndpoint?: string;
  }
}

export interface StepStack {
  /** The deps every step gets; `deps.table` changes with `useNewTable`. */
  deps: AppDeps;
  /** Moves the clock `deps.now()` reads; `undefined` goes back to the real clock. */
  setNow(date: Date | undefined): void;
  /** Points `deps` at a new, empty table (for tests that read whole indexes). */
  useNewTable(): Promise<TableClient>;
  stop(): Promise<void>;
}

let tables = 0;

export async function startStepStack(): Promise<StepStack> {
  const shared = inject('slipwayDynamoEndpoint');
  const dynamo = shared ? { client: new DynamoDBClient({ endpoint: shared, ...LOCAL_AWS }), stop: async () => undefined } : await startDynamo();
  const newTable = async (): Promise<TableClient> => {
    const name = `slipway-steps-${process.pid}-${Date.now()}-${++tables}`;
    await ensureTable(dynamo.client, name);
    return { doc: documentClient(dynamo.client), name };
  };
  let now: Date | undefined;
  const deps = testDeps(await newTable(), () => now);
  return {
    deps,
    setNow: (date) => (now = date),
    async useNewTable() {
      deps.table = await newTable();
      return deps.table;
    },
    async stop() {
      if (shared) dynamo.client.destroy();
      await dynamo.stop();
    },
  };
}
