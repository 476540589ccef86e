/** `--wait` of `run`, `show` and `terminate`: follow a run on the person's terminal until it gets where the command waits for. */
import { FINAL_STATES, SETTLED_STATES, type RunStateT, type RunT } from './api-types';
import { interruptible, type Context } from './context';
import { parseDuration } from './durations';
import { followRun } from './follow-run';
import { runDisplay } from './run-display';

/** Where each command stops waiting. */
export const WAIT_UNTIL = {
  /** `run --wait`, `show --wait`: Ready, or a final state. */
  settled: SETTLED_STATES,
  /** `terminate --wait`. */
  final: FINAL_STATES,
} as const satisfies Record<string, readonly RunStateT[]>;

/**
 * Follows `run` until one of `until`, shown on stdout (on stderr with --output json, which keeps stdout for the result).
 * `timeout` is the command's `--timeout`; `timeoutMs` what is left of it when one command follows several runs.
 */
export async function waitForRun(ctx: Context, run: RunT, options: { until: keyof typeof WAIT_UNTIL; timeout?: string; timeoutMs?: number }): Promise<RunT> {
  const terminal = ctx.out.format === 'json' ? ctx.out.stderr : ctx.out.stdout;
  const timeoutMs = options.timeoutMs ?? (options.timeout ? parseDuration(options.timeout, '--timeout') : undefined);
  return interruptible((signal) => followRun(ctx.client(), run.id, { until: WAIT_UNTIL[options.until], display: runDisplay(terminal), timeoutMs, signal }));
}
