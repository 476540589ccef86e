/**
 * Quota reservation: one transaction reserves every connector's VMs for a run and
 * marks the run as holding them, so a repeated step never counts twice and a run
 * that exceeds any quota reserves nothing. The limit each reservation was checked
 * against is part of the transaction's conditions (the override on the quota item,
 * or the connector's default), so an admin changing either while a reservation is
 * in flight makes it re-read the limits instead of reserving against a stale one.
 * Release is the mirror image, guarded by a flag so it happens once.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { QuotaExceededError } from '#functions/domain/errors';
import { heldQuota } from '#functions/domain/scale-plan';
import { failedConditions, getItem } from './items';
import { keys } from './keys';
import { quotaFor, type Quota } from './quotas';
import type { TableClient } from './table-client';

/** Re-reads of the limits when an admin changed one during a reservation. */
const MAX_TRIES = 5;

type Limits = Pick<Quota, 'maxVms' | 'used' | 'source'>;

/** The refusal a reservation of `counts` against `quotas` (same order as `connectors`) meets, if any: the preflight plan shows the same one. */
export function exceeded(connectors: string[], quotas: (Limits | undefined)[], counts: Record<string, number>): QuotaExceededError | undefined {
  const over = connectors.filter((c, i) => (quotas[i]?.used ?? 0) + counts[c]! > (quotas[i]?.maxVms ?? 0));
  if (!over.length) return undefined;
  const detail = over.map((c) => {
    const q = quotas[connectors.indexOf(c)];
    return `${c}: ${q?.used ?? 0} of ${q?.maxVms ?? 0} VMs in use, this run needs ${counts[c]}`;
  });
  return new QuotaExceededError(`quota exceeded on ${detail.join('; ')}`);
}

/** The transaction: the run's flag, then per connector its quota update and, for a default limit, a check that the default still holds. */
function reservation(table: TableClient, run: { id: string; owner: string }, connectors: string[], quotas: Limits[], counts: Record<string, number>) {
  const runFlag = {
    Update: {
      TableName: table.name,
      Key: keys.run(run.id),
      UpdateExpression: 'SET quotaReserved = :counts',
      ConditionExpression: 'attribute_not_exists(quotaReserved)',
      ExpressionAttributeValues: { ':counts': counts },
    },
  };
  return [runFlag, ...quotaUpdates(table, run.owner, connectors, quotas, counts)];
}

/**
 * Per connector, the quota update adding `counts` (conditioned on the room left and on the
 * limit it was checked against) and, for a default limit, a check that the default still holds.
 */
export function quotaUpdates(table: TableClient, owner: string, connectors: string[], quotas: Limits[], counts: Record<string, number>) {
  const run = { owner };
  return connectors.flatMap((connector, i) => {
    const { maxVms, source } = quotas[i]!;
    const n = counts[connector]!;
    const limitHolds = source === 'override' ? 'maxVms = :limit' : 'attribute_not_exists(maxVms)';
    const update = {
      Update: {
        TableName: table.name,
        Key: keys.quota(run.owner, connector),
        UpdateExpression: 'SET #user = :user, #connector = :connector ADD #used :n',
        ConditionExpression: `(attribute_not_exists(#used) OR #used <= :room) AND ${limitHolds}`,
        ExpressionAttributeNames: { '#used': 'used', '#user': 'user', '#connector': 'connector' },
        ExpressionAttributeValues: {
          ':n': n,
          ':room': maxVms - n,
          ':user': run.owner,
          ':connector': connector,
          ...(source === 'override' ? { ':limit': maxVms } : {}),
        },
      },
    };
    const defaultHolds = {
      ConditionCheck: {
        TableName: table.name,
        Key: keys.connector(connector),
        ConditionExpression: 'defaultQuotaVms = :limit',
        ExpressionAttributeValues: { ':limit': maxVms },
      },
    };
    return source === 'override' ? [update] : [update, defaultHolds];
  });
}

/** The quota updates giving back `counts` VMs per connector (no condition: what a run holds is always there to give back). */
export function quotaGivebacks(table: TableClient, owner: string, counts: Record<string, number>) {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([connector, n]) => ({
      Update: {
        TableName: table.name,
        Key: keys.quota(owner, connector),
        UpdateExpression: 'ADD #used :minus',
        ExpressionAttributeNames: { '#used': 'used' },
        ExpressionAttributeValues: { ':minus': -n },
      },
    }));
}

/** The condition that a run's quota entries are still what was read (`quotaChanges` counts every scale's quota move). */
export const QUOTA_UNCHANGED = '(attribute_not_exists(quotaChanges) OR quotaChanges = :changes)';

/**
 * Reserves `counts` VMs per connector for the run, once.
 * @throws QuotaExceededError naming each connector whose quota the run would exceed.
 */
export async function reserveQuota(table: TableClient, run: { id: string; owner: string }, counts: Record<string, number>): Promise<void> {
  const connectors = Object.keys(counts).sort();
  for (let attempt = 1; ; attempt++) {
    const read = await Promise.all(connectors.map((c) => quotaFor(table, run.owner, c)));
    const error = exceeded(connectors, read, counts);
    if (error) throw error;
    try {
      await table.doc.send(new TransactWriteCommand({ TransactItems: reservation(table, run, connectors, read as Limits[], counts) }));
      return;
    } catch (failure) {
      const failed = failedConditions(failure);
      if (failed.includes(0)) return; // reserved by an earlier attempt of this step
      // Room ran out or a limit changed since the read: read again, and say so if the run no longer fits.
      if (!failed.length || attempt >= MAX_TRIES) throw failure;
    }
  }
}

/**
 * Releases everything the run holds, once: its first reservation and every scale's entries
 * (`heldQuota`). Conditioned on the entries being those read, so a scale that lands meanwhile
 * is counted by the next try; the `quotaReleased` flag keeps any later scale from reserving.
 */
export async function releaseQuota(
  table: TableClient,
  run: { id: string; owner: string; quotaReserved?: Record<string, number>; quotaScaled?: Record<string, Record<string, number>>; quotaChanges?: number },
): Promise<void> {
  let read = run;
  for (let attempt = 1; ; attempt++) {
    if (!read.quotaReserved && !read.quotaScaled) return;
    const counts = heldQuota(read.quotaReserved, read.quotaScaled);
    try {
      await table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table.name,
                Key: keys.run(run.id),
                UpdateExpression: 'SET quotaReleased = :t',
                ConditionExpression: `attribute_not_exists(quotaReleased) AND ${QUOTA_UNCHANGED}`,
                ExpressionAttributeValues: { ':t': true, ':changes': read.quotaChanges ?? 0 },
              },
            },
            ...quotaGivebacks(table, run.owner, counts),
          ],
        }),
      );
      return;
    } catch (error) {
      if (!failedConditions(error).includes(0) || attempt >= MAX_TRIES) throw error;
      const item = await getItem(table, keys.run(run.id));
      if (!item || item.quotaReleased) return; // released by an earlier attempt
      read = { ...(item as typeof run), id: run.id, owner: run.owner };
    }
  }
}
