/**
 * Seeded randomness for the soak and crash proofs: every choice a test makes (which
 * fault a run gets, when a VM vanishes, when the process is killed) comes from one
 * seed, printed with the figures, so a failing run replays with `SOAK_SEED=<seed>`.
 */

export interface SeededRandom {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One of the keys of `weights`, with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K;
}

/** mulberry32: small, fast, and good enough to spread test choices. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    pick: (items) => {
      if (!items.length) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)]!;
    },
    weighted: (weights) => {
      const entries = Object.entries(weights) as [keyof typeof weights, number][];
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let u = next() * total;
      for (const [key, weight] of entries) {
        if ((u -= weight) < 0) return key;
      }
      return entries[entries.length - 1]![0];
    },
  };
}

/** The seed named by environment variable `name` (an integer), else `fallback`. */
export function seedFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`${name} must be an integer, not "${raw}"`);
  return seed;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
