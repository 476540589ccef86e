/**
 * Scaling a node of a Ready run: which instances to add or remove, and the quota
 * the run holds through its scales. Pure: the caller passes the run's instances.
 *
 * New instances take the indexes after the highest the node ever had (a removed
 * instance's record stays, terminated, under its index); removed ones are the
 * highest live indexes. Quota: the run's first reservation (`quotaReserved`) plus
 * one signed entry per scale move in `quotaScaled` (`<scale id>` adds, `<scale id>:in`
 * gives back removed VMs, `<scale id>:rollback` gives back a failed scale's VMs).
 */

/** Bounds of a node's multiplicity (the deployment's own limit). */
export const MULTIPLICITY = { min: 1, max: 50 } as const;

export interface ScaleInstance {
  node: string;
  index: number;
  phase: string;
}

export interface ScalePlan {
  node: string;
  /** Live instances of the node before the scale. */
  from: number;
  to: number;
  /** Indexes to create, ascending. */
  add: number[];
  /** Indexes to terminate, highest first. */
  remove: number[];
}

const isLive = (i: ScaleInstance) => i.phase !== 'terminating' && i.phase !== 'terminated';

/** The instances a scale of `node` to `multiplicity` adds or removes. */
export function planScale(instances: ScaleInstance[], node: string, multiplicity: number): ScalePlan {
  const mine = instances.filter((i) => i.node === node);
  const live = mine
    .filter(isLive)
    .map((i) => i.index)
    .sort((a, b) => a - b);
  const highest = Math.max(0, ...mine.map((i) => i.index));
  const more = multiplicity - live.length;
  return {
    node,
    from: live.length,
    to: multiplicity,
    add: Array.from({ length: Math.max(0, more) }, (_, k) => highest + 1 + k),
    remove: more < 0 ? live.slice(more).reverse() : [],
  };
}

/** The key of a scale's entries in `quotaScaled`. */
export const scaleQuotaKey = {
  added: (scaleId: string) => scaleId,
  removed: (scaleId: string) => `${scaleId}:in`,
  rolledBack: (scaleId: string) => `${scaleId}:rollback`,
};

/** VMs per connector a run holds: its first reservation and every scale's entries (never below zero). */
export function heldQuota(reserved: Record<string, number> | undefined, scaled: Record<string, Record<string, number>> | undefined): Record<string, number> {
  const held: Record<string, number> = { ...reserved };
  for (const entry of Object.values(scaled ?? {})) {
    for (const [connector, n] of Object.entries(entry)) held[connector] = (held[connector] ?? 0) + n;
  }
  return Object.fromEntries(Object.entries(held).map(([c, n]) => [c, Math.max(0, n)]));
}
