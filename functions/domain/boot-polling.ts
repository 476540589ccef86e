/**
 * How often a run looks at its booting VMs. The first look comes after the
 * connector's `pollSeconds` (about when its VMs are usually up); each later wait is
 * a quarter longer than the one before, up to a cap, so a fast boot is seen soon
 * and a long one costs few state transitions (three per look: Wait, Check, Choice).
 */

/** Each wait is this much longer than the one before. */
export const BOOT_POLL_BACKOFF = 1.25;
/** The longest wait between two looks: three transitions per 40 s stay under one per 10 s. */
export const MAX_BOOT_POLL_SECONDS = 40;

/** Seconds to wait after look number `polls` (1 = the first look), given the connector's first wait. */
export function nextWaitSeconds(pollSeconds: number, polls: number): number {
  const wait = pollSeconds * BOOT_POLL_BACKOFF ** Math.max(0, polls);
  return Math.max(1, Math.min(MAX_BOOT_POLL_SECONDS, Math.round(wait)));
}

/** How many looks fit in `deadlineSeconds` with that schedule: the boot deadline, counted in looks. */
export function maxPollsWithin(deadlineSeconds: number, pollSeconds: number): number {
  let elapsed = Math.max(1, pollSeconds);
  let polls = 1;
  while (elapsed < deadlineSeconds) {
    elapsed += nextWaitSeconds(pollSeconds, polls);
    polls += 1;
  }
  return polls;
}
