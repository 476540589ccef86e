/**
 * Usage records for billing: VM-seconds per user, day, connector and run, with each
 * instance's interval on the day and totals per instance type. A run's records are
 * written once, when it ends: their keys are fixed (user, day, connector, run), each
 * put is conditional on the record not existing, and the instant a VM still alive is
 * counted up to is fixed on the run by the first attempt (`meteringInstant`), so a
 * retried FinalizeRun writes the same values or nothing.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { UsageTotal } from '#functions/domain/usage';
import type { UsageRecord as UsageRecordSchema } from '#functions/schemas/quotas';
import { isConditionFailure, queryAll, queryPage, type Page } from './items';
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
    ...(typeof item.order === 'string' ? { order: item.order } : {}),
    ...(item.byInstanceType ? { byInstanceType: item.byInstanceType as Record<string, number> } : {}),
    ...(Array.isArray(item.instances) ? { instances: item.instances as NonNullable<UsageRecord['instances']> } : {}),
  };
}

/** Sort keys are `<day>#<connector>#<run>`: "~" sorts after "#", so `to~` ends the last day. */
const dayRange = (user: string, range: { from: string; to: string }) => ({
  KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
  ExpressionAttributeValues: { ':pk': keys.usagePrefix(user).pk, ':from': range.from, ':to': `${range.to}~` },
});

/** A user's records for the days `from` to `to` (both YYYY-MM-DD, inclusive), by day. */
export async function listUsage(
  table: TableClient,
  user: string,
  range: { from: string; to: string },
  page: { limit: number; cursor?: string },
): Promise<Page<UsageRecord>> {
  return queryPage(table, dayRange(user, range), page, toUsage);
}

/** Every record of a user's orders' runs for the days `from` to `to` (inclusive): what billing reads. */
export async function listOrderUsage(table: TableClient, user: string, range: { from: string; to: string }): Promise<UsageRecord[]> {
  const items = await queryAll(table, {
    ...dayRange(user, range),
    FilterExpression: 'attribute_exists(#order)',
    ExpressionAttributeNames: { '#order': 'order' },
  });
  return items.map(toUsage);
}

/**
 * The instant a run's VMs still alive at its end are counted up to: `now` for the
 * first caller, what the first caller fixed for every later one (a retried FinalizeRun).
 */
export async function meteringInstant(table: TableClient, runId: string, now: Date): Promise<Date> {
  const out = await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.run(runId),
      UpdateExpression: 'SET meteredUntil = if_not_exists(meteredUntil, :now)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now.toISOString() },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return new Date(String(out.Attributes?.meteredUntil ?? now.toISOString()));
}

/**
 * Writes a run's usage records, each once: a record that exists already (a repeated
 * step) is left as it is. A run an order launched (`sponsor`) names the order on each.
 */
export async function putUsageRecords(
  table: TableClient,
  run: { id: string; owner: string; sponsor?: { order: string } },
  totals: UsageTotal[],
): Promise<void> {
  await Promise.all(
    totals.map(async ({ day, connector, vmSeconds, byInstanceType, instances }) => {
      try {
        await table.doc.send(
          new PutCommand({
            TableName: table.name,
            Item: {
              ...keys.usage(run.owner, day, connector, run.id),
              user: run.owner,
              connector,
              run: run.id,
              day,
              vmSeconds,
              ...(run.sponsor ? { order: run.sponsor.order } : {}),
              ...(byInstanceType ? { byInstanceType } : {}),
              ...(instances ? { instances } : {}),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }),
  );
}
