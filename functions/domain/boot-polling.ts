/**
 * How often a run looks at its booting VMs. The first look comes after the
 * connector's `pollSeconds` (about when its VMs are usually up); after that each
 * look comes a quarter later than the time elapsed so far (at least a second, at
 * most `MAX_BOOT_POLL_SECONDS` after the one before). So a VM that is up at time T
 * is seen by about 1.25 T whatever T is, and a long boot costs few state
 * transitions (three per look: Wait, Check, Choice), growing with the logarithm of
 * the boot time until the cap, then at 3 per 40 s.
 */

/** Each look comes at most this many times the elapsed time of the one before. */
export const BOOT_POLL_GROWTH = 1.25;
/** The longest wait between two looks: three transitions per 40 s stay under one per 10 s. */
export const MAX_BOOT_POLL_SECONDS = 40;

/** The wait after a look `elapsed` seconds after the first wait began. */
function waitAfter(elapsed: number): number {
  return Math.max(1, Math.min(MAX_BOOT_POLL_SECONDS, Math.round(elapsed * (BOOT_POLL_GROWTH - 1))));
}

/** Seconds to wait after look number `polls` (1 = the first look), given the connector's first wait. */
export function nextWaitSeconds(pollSeconds: number, polls: number): number {
  let elapsed = Math.max(1, pollSeconds);
  for (let look = 1; look < polls; look++) elapsed += waitAfter(elapsed);
  return waitAfter(elapsed);
}

/** How many looks fit in `deadlineSeconds` with that schedule: the boot deadline, counted in looks. */
export function maxPollsWithin(deadlineSeconds: number, pollSeconds: number): number {
  let elapsed = Math.max(1, pollSeconds);
  let polls = 1;
  while (elapsed < deadlineSeconds) {
    elapsed += waitAfter(elapsed);
    polls += 1;
  }
  return polls;
}
