/**
 * B5 — one expiry tick with 100,000 runs stored, 10 of them expired, against the
 * same tick with 1,000 stored: the items it reads must not grow with the table.
 * Runs are seeded through putRun's own item shape (every live one with an
 * expiresAt ahead, so all 100,000 sit in the expiry index: the hard case).
 * Counted: the tick's own table commands (marked by scope, apart from the
 * terminate executions it starts) and the items DynamoDB read for them.
 */
import { handler as expiryHandler } from '#functions/schedules/expiry';
import { putRun, type RunDoc } from '#functions/store/runs';
import { user } from '../support/api';
import type { BenchStack } from '../support/bench-stack';
import { executionEnded, runExecutionArn } from '../support/histories';
import { ms, pass, type FigureResult } from '../support/report';
import { batchWrite, ItemCapture } from '../support/seed';
import { pool } from '../support/stats';
import { inScope, summarize } from '../support/table-counter';

export const B5 = { sizes: [1_000, 100_000], expired: 10 } as const;

const tick = () => inScope('expiry', () => (expiryHandler as unknown as () => Promise<{ expired: string[] }>)());

export async function measureB5(b: BenchStack): Promise<Omit<FigureResult, 'seconds'>> {
  const owner = (await user(b.api, b.adminKey, 'bench-expiry')).id;
  const capture = new ItemCapture(b.raw.name);
  const now = Date.now();
  let stored = 0;
  const run = (id: string, expiresAt: number): RunDoc => ({
    id,
    owner,
    deployment: 'dep_bench',
    deploymentVersion: 1,
    nodes: {},
    state: 'Ready',
    tags: {},
    expiresAt: new Date(expiresAt).toISOString(),
    createdAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
    version: 1,
  });
  /** Grows the table to `size` live runs expiring within a day, plus `B5.expired` just expired. */
  const seed = async (size: number, batch: string) => {
    for (; stored < size; stored++) await putRun(capture.table, run(`run_benchlive${String(stored).padStart(7, '0')}`, now + 3_600_000 + stored * 500));
    for (let i = 0; i < B5.expired; i++) await putRun(capture.table, run(`run_benchexp${batch}${i}`, now - 60_000 - i * 1000));
    const items = capture.drain();
    const started = performance.now();
    await batchWrite(b.raw, items);
    return { items: items.length, seconds: (performance.now() - started) / 1000 };
  };

  const ticks = [];
  for (const size of B5.sizes) {
    const seeding = await seed(size, String(size));
    const opsMark = b.tableOps.mark();
    const started = performance.now();
    const report = await tick();
    const wallMs = performance.now() - started;
    const ops = b.tableOps.since(opsMark).filter((o) => o.scope === 'expiry');
    // Let the terminate executions it started finish before the table grows again.
    await pool(5, report.expired.length, (i) => executionEnded(b.sfn, runExecutionArn('terminate', report.expired[i]!), 120_000));
    ticks.push({
      stored: size + B5.expired * (ticks.length + 1),
      expired: report.expired.length,
      wallMs,
      seeding,
      ...summarize(ops),
      commandsByKind: Object.fromEntries(
        ops.map((o) => [`${o.command} ${o.target}`, ops.filter((x) => x.command === o.command && x.target === o.target).length]),
      ),
    });
  }
  const [small, large] = ticks as [(typeof ticks)[number], (typeof ticks)[number]];
  const constant = large.itemsRead - B5.expired;
  return {
    id: 'B5',
    title: 'expiry tick',
    rows: [
      {
        id: 'B5',
        figure: `expiry tick, ${large.stored.toLocaleString('en')} runs stored, ${large.expired} expired`,
        measured: `${large.itemsRead} items read (${large.readCommands} reads, ${large.writeCommands} writes), tick ${ms(large.wallMs)}`,
        reference: `${small.itemsRead} items read with ${small.stored.toLocaleString('en')} stored (tick ${ms(small.wallMs)})`,
        budget: `≤ ${B5.expired} + constant, independent of table size`,
        status: pass(large.itemsRead <= small.itemsRead && large.expired === B5.expired),
      },
    ],
    details: { constant, ticks },
  };
}
