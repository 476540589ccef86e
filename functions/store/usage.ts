/**
 * Usage records for billing: VM-seconds per user, day, connector and run. The run
 * steps write them (`keys.usage`); this module only reads them.
 */
import { queryPage, type Page } from './items';
import { keys } from './keys';
import type { TableClient } from './table-client';

export interface UsageRecord {
  user: string;
  connector: string;
  run: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  vmSeconds: number;
}

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
