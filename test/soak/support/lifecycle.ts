/**
 * The run lifecycle of the product contract (shared/docs/product.md), written out
 * here as the specification the event logs are checked against:
 *
 *   Initializing → Provisioning → Executing → Ready
 *   any of those ──────────────────────────────────→ Finalizing → Done | Aborted
 */

export const FINAL_STATES = ['Done', 'Aborted'] as const;

const NEXT: Record<string, readonly string[]> = {
  Initializing: ['Provisioning', 'Finalizing'],
  Provisioning: ['Executing', 'Finalizing'],
  Executing: ['Ready', 'Finalizing'],
  Ready: ['Finalizing'],
  Finalizing: ['Done', 'Aborted'],
  Done: [],
  Aborted: [],
};

export const isFinal = (state: string) => (FINAL_STATES as readonly string[]).includes(state);

/**
 * What is wrong with a run's state events (oldest first) given the run's state now,
 * or undefined when they agree: the log starts at Initializing, every step is one
 * the lifecycle allows (so no state twice and none skipped), and it ends at the run's state.
 */
export function eventLogProblem(runState: string, states: readonly string[]): string | undefined {
  if (states[0] !== 'Initializing') return `starts at ${states[0] ?? '(nothing)'}, not Initializing`;
  for (let i = 1; i < states.length; i++) {
    const from = states[i - 1]!;
    const to = states[i]!;
    if (!NEXT[from]?.includes(to)) return `${from} → ${to} is not a lifecycle step (log: ${states.join(' → ')})`;
  }
  const last = states[states.length - 1];
  if (last !== runState) return `the last state event is ${last}, the run is ${runState} (log: ${states.join(' → ')})`;
  return undefined;
}
