/** What a figure reports, and how the table is printed. */

export type Status = 'PASS' | 'MISS' | 'INFO' | 'ERROR';

/** One line of the table. */
export interface Row {
  id: string;
  figure: string;
  measured: string;
  reference: string;
  budget: string;
  status: Status;
}

export interface FigureResult {
  id: string;
  title: string;
  rows: Row[];
  /** Everything behind the rows: repetitions, breakdowns, counts (kept in results.json). */
  details: Record<string, unknown>;
  /** Wall time the figure took, setup included. */
  seconds: number;
}

export const pass = (ok: boolean): Status => (ok ? 'PASS' : 'MISS');

export const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`);

/** The table as Markdown (what `npm run bench` prints and BENCHMARKS.md shows). */
export function markdownTable(results: readonly FigureResult[]): string {
  const lines = ['| # | figure | measured | reference (same run) | budget | result |', '|---|---|---|---|---|---|'];
  for (const result of results) {
    for (const row of result.rows) {
      const cells = [row.id, row.figure, row.measured, row.reference, row.budget, row.status].map((c) => c.replaceAll('|', '\\|'));
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
