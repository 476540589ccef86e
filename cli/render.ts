/** How results are shown: `--output table` (aligned columns, or label: value lines) or `--output json`. */

export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** One cell: absent values as "-", lists joined, maps as k=v, anything else as compact JSON. */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ') : '-';
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length ? entries.map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ') : '-';
  }
  return String(value);
}

/** Rows under upper-case headers, columns padded to their widest cell. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const grid = [columns.map((c) => c.header.toUpperCase()), ...rows.map((row) => columns.map((c) => cell(c.value(row))))];
  const widths = columns.map((_, i) => Math.max(...grid.map((line) => line[i]!.length)));
  return grid.map((line) => line.map((text, i) => (i === line.length - 1 ? text : text.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** `label: value` lines, labels aligned. */
export function fields(pairs: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(...pairs.map(([label]) => label.length)) + 1;
  return pairs.map(([label, value]) => `${`${label}:`.padEnd(width)} ${cell(value)}`).join('\n');
}

export const json = (value: unknown): string => JSON.stringify(value, null, 2);

/** Where a command writes: its result on stdout, notes and errors on stderr. */
export interface Terminal {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class Output {
  constructor(
    readonly format: OutputFormat,
    readonly stdout: Terminal = process.stdout,
    readonly stderr: Terminal = process.stderr,
  ) {}

  /** A line of the result. */
  line(text = ''): void {
    this.stdout.write(`${text}\n`);
  }

  /** A note for the person (stderr, so `--output json` stays parseable). */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  /** `data` as JSON, or the table view `view` makes of it. */
  result<T>(data: T, view: (data: T) => string): void {
    this.line(this.format === 'json' ? json(data) : view(data));
  }

  /** A list: JSON array, or a table (or `empty` when there is nothing). */
  list<T>(rows: readonly T[], columns: readonly Column<T>[], empty = 'Nothing to show.'): void {
    this.result(rows, (r) => (r.length ? table(r, columns) : empty));
  }
}
