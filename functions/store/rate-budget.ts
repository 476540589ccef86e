/**
 * The request budget of one (connector, credential), kept in the table so every
 * run and the monitor share it, whichever Lambda they run in. It is a GCRA token
 * bucket: one item holds the theoretical arrival time (`tat`, epoch ms) of the next
 * request; a request may go when `tat` is at most `burst` intervals ahead of now.
 * A throttling answer from the cloud pushes `tat` into the future (back-off).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateBudget } from '#connectors/contract';
import { TransientCloudError } from '#connectors/errors';
import { isConditionFailure } from './items';
import { keys } from './keys';
import type { TableClient } from './table-client';

export interface BudgetOptions {
  requestsPerSecond: number;
  /** Requests that may go at once after a quiet spell. @default 5 */
  burst?: number;
  /** How long a throttling answer holds every caller back, in ms. @default 5000 */
  backOffMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A budget that also counts how long its callers waited for it. */
export interface MeteredBudget extends RateBudget {
  waitedMs(): number;
}

/** Tries of the conditional write when concurrent callers race for the same slot. */
const MAX_TRIES = 20;

export function tableRateBudget(table: TableClient, connector: string, credentialId: string, options: BudgetOptions): MeteredBudget {
  const key = keys.rateBudget(connector, credentialId);
  const interval = 1000 / options.requestsPerSecond;
  const burst = options.burst ?? 5;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let waited = 0;

  /** Moves `tat` from what was read to `next`, only if nobody moved it meanwhile. */
  async function swap(read: number | undefined, next: number): Promise<boolean> {
    try {
      await table.doc.send(
        new UpdateCommand({
          TableName: table.name,
          Key: key,
          UpdateExpression: 'SET tat = :next',
          ConditionExpression: read === undefined ? 'attribute_not_exists(tat)' : 'tat = :read',
          ExpressionAttributeValues: { ':next': next, ...(read === undefined ? {} : { ':read': read }) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async function readTat(): Promise<number | undefined> {
    const out = await table.doc.send(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }));
    return out.Item?.tat as number | undefined;
  }

  return {
    async take() {
      for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
        const stored = await readTat();
        const at = now();
        const tat = Math.max(stored ?? at, at);
        if (!(await swap(stored, tat + interval))) continue;
        const wait = Math.max(0, tat - at - (burst - 1) * interval);
        if (wait > 0) {
          waited += wait;
          await sleep(wait);
        }
        return;
      }
      throw new TransientCloudError(`the request budget of ${connector} stayed contended for ${MAX_TRIES} tries`);
    },
    async throttled() {
      for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
        const stored = await readTat();
        const next = Math.max(stored ?? 0, now() + (options.backOffMs ?? 5000));
        if (await swap(stored, next)) return;
      }
    },
    waitedMs: () => waited,
  };
}
