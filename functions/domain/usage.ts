/**
 * Usage metering (pure): VM-seconds per instance, split at UTC day (and so month)
 * boundaries, totalled per day, connector and instance type. Every instant is rounded
 * to the nearest whole second once, before any split, so the parts of a lifetime add
 * up to exactly its whole and a bill can cut a day anywhere without losing a second.
 */

const DAY_SECONDS = 24 * 60 * 60;

/** The instance type a VM without one is counted under. */
export const DEFAULT_INSTANCE_TYPE = 'default';

/** An ISO instant (or Date) as epoch seconds, rounded to the nearest second. */
const secondOf = (at: string | Date): number => Math.round((typeof at === 'string' ? Date.parse(at) : at.getTime()) / 1000);
const isoAt = (second: number): string => new Date(second * 1000).toISOString();
const dayOf = (second: number): string => isoAt(second).slice(0, 10);

/** Pieces `[from, to)` of the span from `from` to `to` (epoch seconds), one per UTC day. */
function dayPieces(from: number, to: number): { day: string; from: number; to: number }[] {
  const pieces: { day: string; from: number; to: number }[] = [];
  for (let start = from; start < to;) {
    const end = Math.min(to, start - (start % DAY_SECONDS) + DAY_SECONDS);
    pieces.push({ day: dayOf(start), from: start, to: end });
    start = end;
  }
  return pieces;
}

/** Splits a VM's lifetime into seconds per UTC day (`YYYY-MM-DD`). */
export function secondsPerDay(from: Date, to: Date): Record<string, number> {
  const out: Record<string, number> = {};
  for (const piece of dayPieces(secondOf(from), secondOf(to))) out[piece.day] = (out[piece.day] ?? 0) + piece.to - piece.from;
  return out;
}

/** One instance's use on one day: `[from, to)`, whole seconds. */
export interface InstanceUsage {
  /** `node.index`. */
  instance: string;
  instanceType?: string;
  from: string;
  to: string;
  vmSeconds: number;
}

/** One run's VM-seconds on one connector on one UTC day, with what makes them up. */
export interface UsageTotal {
  day: string;
  connector: string;
  vmSeconds: number;
  /** VM-seconds by instance type (`default` for VMs of the connector's default type). */
  byInstanceType?: Record<string, number>;
  /** Each instance's interval on the day, in instance order. */
  instances?: InstanceUsage[];
}

/** A VM as metering sees it. */
export interface MeteredVm {
  /** `node.index`. */
  name?: string;
  connector: string;
  instanceType?: string;
  createdAt?: string;
  terminatedAt?: string;
}

/**
 * Each VM's interval up to `until` (a VM still alive, or terminated after it, counts up
 * to `until`), in whole seconds; none for a VM never created.
 */
export function vmIntervals(vms: readonly MeteredVm[], until: Date): { vm: MeteredVm; from: number; to: number }[] {
  const end = secondOf(until);
  return vms.flatMap((vm) => {
    if (!vm.createdAt) return [];
    const from = secondOf(vm.createdAt);
    const to = Math.min(end, vm.terminatedAt ? secondOf(vm.terminatedAt) : end);
    return to > from ? [{ vm, from, to }] : [];
  });
}

/** Totals per day and connector of a run's VMs, with each instance's interval; a VM still alive counts up to `until`. */
export function usageTotals(vms: readonly MeteredVm[], until: Date): UsageTotal[] {
  const totals = new Map<string, Required<UsageTotal>>();
  for (const { vm, from, to } of vmIntervals(vms, until)) {
    for (const piece of dayPieces(from, to)) {
      const key = `${piece.day}|${vm.connector}`;
      const total = totals.get(key) ?? { day: piece.day, connector: vm.connector, vmSeconds: 0, byInstanceType: {}, instances: [] };
      const seconds = piece.to - piece.from;
      const type = vm.instanceType ?? DEFAULT_INSTANCE_TYPE;
      total.vmSeconds += seconds;
      total.byInstanceType[type] = (total.byInstanceType[type] ?? 0) + seconds;
      total.instances.push({
        instance: vm.name ?? '',
        ...(vm.instanceType ? { instanceType: vm.instanceType } : {}),
        from: isoAt(piece.from),
        to: isoAt(piece.to),
        vmSeconds: seconds,
      });
      totals.set(key, total);
    }
  }
  return [...totals.values()];
}
