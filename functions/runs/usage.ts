/** Usage metering: VM seconds per user, connector, run and UTC day. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#functions/store/keys';
import type { TableClient } from '#functions/store/table-client';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Splits a VM's lifetime into seconds per UTC day (`YYYY-MM-DD`). */
export function secondsPerDay(from: Date, to: Date): Record<string, number> {
  const out: Record<string, number> = {};
  let start = from.getTime();
  const end = to.getTime();
  while (start < end) {
    const dayEnd = Math.min(end, Math.floor(start / DAY_MS) * DAY_MS + DAY_MS);
    const day = new Date(start).toISOString().slice(0, 10);
    out[day] = (out[day] ?? 0) + Math.round((dayEnd - start) / 1000);
    start = dayEnd;
  }
  return out;
}

/** Writes (overwrites, so a repeated step is harmless) the run's usage records. */
export async function recordUsage(
  table: TableClient,
  run: { id: string; owner: string },
  vms: { connector: string; createdAt?: string; terminatedAt?: string }[],
  now: Date,
): Promise<void> {
  const totals = new Map<string, number>();
  for (const vm of vms) {
    if (!vm.createdAt) continue;
    const days = secondsPerDay(new Date(vm.createdAt), vm.terminatedAt ? new Date(vm.terminatedAt) : now);
    for (const [day, seconds] of Object.entries(days)) {
      const k = `${day}|${vm.connector}`;
      totals.set(k, (totals.get(k) ?? 0) + seconds);
    }
  }
  await Promise.all(
    [...totals].map(([k, vmSeconds]) => {
      const [day, connector] = k.split('|') as [string, string];
      return table.doc.send(
        new PutCommand({
          TableName: table.name,
          Item: { ...keys.usage(run.owner, day, connector, run.id), user: run.owner, connector, run: run.id, day, vmSeconds },
        }),
      );
    }),
  );
}
