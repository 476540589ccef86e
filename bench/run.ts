/**
 * `npm run bench [-- --only B1,B3] [-- --peers]`: the performance figures of
 * BENCHMARKS.md. Each group of figures runs in a process of its own, one after
 * the other (never two at once: they would measure each other). Prints one table
 * and writes it, with every detail, to bench/results.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIGURE_IDS, GROUPS, type FigureId, type Group } from './groups';
import { markdownTable, type FigureResult } from './support/report';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results.json');
const say = (text: string) => process.stdout.write(`${text}\n`);

function parseArgs(argv: string[]): FigureId[] {
  const peers = argv.includes('--peers');
  const at = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  const listed =
    at < 0
      ? undefined
      : (argv[at]!.includes('=') ? argv[at]!.split('=')[1]! : (argv[at + 1] ?? ''))
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean);
  const unknown = (listed ?? []).filter((id) => !(FIGURE_IDS as readonly string[]).includes(id));
  if (unknown.length) throw new Error(`unknown figure(s) ${unknown.join(', ')}; known: ${FIGURE_IDS.join(', ')}`);
  // B8 needs the peers (the OpenStack one takes ~90 s to start): only with --peers, or when named.
  return (listed as FigureId[] | undefined) ?? FIGURE_IDS.filter((id) => id !== 'B8' || peers);
}

/** Runs one group in a child process; ends it (by its pid) when it overruns. */
async function runGroup(group: Group, ids: FigureId[], dir: string): Promise<FigureResult[]> {
  const out = join(dir, `${ids.join('-')}.json`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'child.ts'), out, ...ids], {
    cwd: ROOT,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 30_000).unref();
  }, group.timeoutMs);
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  clearTimeout(timer);
  if (code === 0 && existsSync(out)) return JSON.parse(readFileSync(out, 'utf8')) as FigureResult[];
  const why = timedOut ? `timed out after ${group.timeoutMs / 1000} s` : `exited with ${code}`;
  return ids.map((id) => ({
    id,
    title: 'failed',
    rows: [{ id, figure: 'the figure did not finish', measured: why, reference: '—', budget: '—', status: 'ERROR' }],
    details: {},
    seconds: 0,
  }));
}

const selected = parseArgs(process.argv.slice(2));
const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100) };
say(`Slipway bench: ${selected.join(', ')} on ${machine.cpus} CPUs, load average ${machine.loadAverageAtStart.join(' ')}`);
const started = Date.now();
const results: FigureResult[] = [];
try {
  for (const group of GROUPS) {
    const ids = group.ids.filter((id) => selected.includes(id));
    if (!ids.length) continue;
    say(`… ${ids.join(', ')}`);
    const done = await runGroup(group, ids, dir);
    results.push(...done);
    say(markdownTable(done));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

say(
  `\n${markdownTable(results)}\n\n${((Date.now() - started) / 1000).toFixed(0)} s, load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
// Figures not run this time keep their last results.
const previous = existsSync(RESULTS) ? ((JSON.parse(readFileSync(RESULTS, 'utf8')) as { figures?: Record<string, unknown> }).figures ?? {}) : {};
const figures = {
  ...previous,
  ...Object.fromEntries(
    results.map((r) => [r.id, { ...r, measuredAt: new Date(started).toISOString(), machine: { ...machine, loadAverageAtEnd: loadavg() } }]),
  ),
};
writeFileSync(
  RESULTS,
  `${JSON.stringify({ table: markdownTable(FIGURE_IDS.flatMap((id) => (figures[id] ? [figures[id] as FigureResult] : []))), figures }, null, 2)}\n`,
);
say(`written: ${RESULTS}`);
const missed = results.flatMap((r) => r.rows).filter((row) => row.status === 'MISS' || row.status === 'ERROR');
if (missed.length) say(`${missed.length} budget(s) missed or not measured: ${[...new Set(missed.map((m) => m.id))].join(', ')}`);
