/**
 * The figures, grouped by what they share: B1 and B2 come from the same runs; every
 * other figure has a process and a local stack of its own.
 */
import { ec2Kind } from '#connectors/ec2/ec2-kind';
import { openstackKind } from '#connectors/openstack/openstack-kind';
import { startBenchStack, type BenchStack } from './support/bench-stack';
import type { FigureResult } from './support/report';
import { launchWorld, measureB1 } from './figures/b1-launch';
import { measureB2, SLOW_BOOT } from './figures/b2-transitions';
import { measureB3 } from './figures/b3-api-latency';
import { measureB4 } from './figures/b4-monitor';
import { measureB5 } from './figures/b5-expiry';
import { measureB6 } from './figures/b6-bundles';
import { measureB7 } from './figures/b7-throughput';
import { measureB8 } from './figures/b8-peers';
import { measureB9 } from './figures/b9-month-close';

export const FIGURE_IDS = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9'] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

export interface Group {
  ids: FigureId[];
  /** Upper bound of the group's process, setup included. */
  timeoutMs: number;
  measure(selected: FigureId[]): Promise<FigureResult[]>;
}

type Measured = Omit<FigureResult, 'seconds'>;

/** Runs `body` on a fresh stack and stops the stack whatever happens. */
async function withStack<T>(body: (b: BenchStack) => Promise<T>, kinds: Parameters<typeof startBenchStack>[0] = []): Promise<T> {
  const b = await startBenchStack(kinds);
  try {
    return await body(b);
  } finally {
    await b.stop();
  }
}

/** Times one figure from the start of its setup. */
async function timed(started: number, result: Measured): Promise<FigureResult> {
  return { ...result, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

const single = (id: FigureId, timeoutMs: number, measure: (b: BenchStack) => Promise<Measured>): Group => ({
  ids: [id],
  timeoutMs,
  measure: async () => {
    const started = performance.now();
    return [await timed(started, await withStack(measure))];
  },
});

export const GROUPS: Group[] = [
  {
    ids: ['B1', 'B2'],
    timeoutMs: 8 * 60_000,
    measure: (selected) =>
      withStack(async (b) => {
        const started = performance.now();
        const world = await launchWorld(b, { [SLOW_BOOT.connector]: SLOW_BOOT.bootSeconds });
        const b1 = await measureB1(b, world);
        const results = selected.includes('B1') ? [await timed(started, b1.result)] : [];
        // B2's time is its own (it reuses B1's runs, whose time is B1's).
        const b2Started = performance.now();
        if (selected.includes('B2')) results.push(await timed(b2Started, await measureB2(b, world, b1.runs)));
        return results;
      }),
  },
  single('B3', 5 * 60_000, measureB3),
  single('B4', 6 * 60_000, measureB4),
  single('B5', 6 * 60_000, measureB5),
  single('B6', 5 * 60_000, measureB6),
  single('B7', 4 * 60_000, measureB7),
  single('B9', 12 * 60_000, measureB9),
  {
    ids: ['B8'],
    timeoutMs: 15 * 60_000,
    measure: async () => {
      const started = performance.now();
      return [await timed(started, await withStack(measureB8, [openstackKind, ec2Kind]))];
    },
  },
];
