/** Usage records for billing: VM-seconds per user, day, connector and run. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { UsageTotal } from '#functions/domain/usage';
import type { UsageRecord as UsageRecordSchema } from '#functions/schemas/quotas';
import { queryPage, type Page } from './items';
import { keys } from './keys';
import type { TableClient } from './table-client';

/** One day of one run's VM seconds on one connector. */
export type UsageRecord = z.output<typeof UsageRecordSchema>;

function toUsage(item: Record<string, unknown>): UsageRecord {
  return {
    user: String(item.user),
    connector: String(item.connector),
    run: String(item.run),
    day: String(item.day),
    vmSeconds: Number(item.vmSeconds ?? 0),
  };
}

/** A user's records for the days `from` to `to` (both YYYY-MM-DD, inclusive), by day. */
export async function listUsage(
  table: TableClient,
  user: string,
  range: { from: string; to: string },
  page: { limit: number; cursor?: string },
): Promise<Page<UsageRecord>> {
  return queryPage(
    table,
    {
      // Sort keys are `<day>#<connector>#<run>`: "~" sorts after "#", so `to~` ends the last day.
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.usagePrefix(user).pk, ':from': range.from, ':to': `${range.to}~` },
    },
    page,
    toUsage,
  );
}

/** Writes (overwrites, so a repeated step is harmless) a run's usage records. */
export async function putUsageRecords(table: TableClient, run: { id: string; owner: string }, totals: UsageTotal[]): Promise<void> {
  await Promise.all(
    totals.map(({ day, connector, vmSeconds }) =>
      table.doc.send(
        new PutCommand({
          TableName: table.name,
          Item: { ...keys.usage(run.owner, day, connector, run.id), user: run.owner, connector, run: run.id, day, vmSeconds },
        }),
      ),
    ),
  );
}
