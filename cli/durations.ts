/** Durations on the command line: `90s`, `15m`, `2h`, `1d`, `1h30m`. */
import { UsageError } from './exit-codes';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds in `text`.
 * @throws UsageError naming `flag` when `text` is not a duration
 */
export function parseDuration(text: string, flag: string): number {
  const parts = [...text.trim().matchAll(/(\d+)([smhd])/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text.trim()) {
    throw new UsageError(`${flag} ${text}: not a duration (e.g. 90s, 15m, 2h, 1d, 1h30m)`);
  }
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_MS[unit!]!, 0);
}

/** `--expires`: a duration from `now`, or an ISO 8601 instant; as ISO. */
export function expiryFrom(text: string, now: Date): string {
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const at = Date.parse(text);
    if (Number.isNaN(at)) throw new UsageError(`--expires ${text}: not an ISO 8601 time`);
    return new Date(at).toISOString();
  }
  return new Date(now.getTime() + parseDuration(text, '--expires')).toISOString();
}

/** `75` seconds → `1m15s`. */
export function formatSeconds(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
