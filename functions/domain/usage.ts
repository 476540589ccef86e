/** Usage metering: VM seconds per user, connector, run and UTC day (pure). */

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

/** One run's VM seconds on one connector on one UTC day. */
export interface UsageTotal {
  day: string;
  connector: string;
  vmSeconds: number;
}

/** Totals per day and connector of a run's VMs; a VM still alive counts up to `now`. */
export function usageTotals(vms: { connector: string; createdAt?: string; terminatedAt?: string }[], now: Date): UsageTotal[] {
  const totals = new Map<string, UsageTotal>();
  for (const vm of vms) {
    if (!vm.createdAt) continue;
    const days = secondsPerDay(new Date(vm.createdAt), vm.terminatedAt ? new Date(vm.terminatedAt) : now);
    for (const [day, seconds] of Object.entries(days)) {
      const key = `${day}|${vm.connector}`;
      const total = totals.get(key) ?? { day, connector: vm.connector, vmSeconds: 0 };
      total.vmSeconds += seconds;
      totals.set(key, total);
    }
  }
  return [...totals.values()];
}
