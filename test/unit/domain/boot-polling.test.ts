import { describe, expect, it } from 'vitest';
import { MAX_BOOT_POLL_SECONDS, maxPollsWithin, nextWaitSeconds } from '#functions/domain/boot-polling';

describe('boot polling', () => {
  it('waits a quarter longer after each look', () => {
    // Act
    const waits = [1, 2, 3, 4].map((polls) => nextWaitSeconds(4, polls));

    // Assess
    expect(waits).toEqual([5, 6, 8, 10]);
  });

  it('never waits longer than the cap, nor less than a second', () => {
    // Act
    const long = nextWaitSeconds(30, 20);
    const short = nextWaitSeconds(0.2, 1);

    // Assess
    expect(long).toBe(MAX_BOOT_POLL_SECONDS);
    expect(short).toBe(1);
  });

  it('counts how many looks fit in the boot deadline', () => {
    // Act
    const polls = maxPollsWithin(900, 3);

    // Assess: the waits of those looks add up to the deadline, one look fewer does not
    let elapsed = 3;
    for (let p = 1; p < polls - 1; p++) elapsed += nextWaitSeconds(3, p);
    expect(elapsed).toBeLessThan(900);
    expect(elapsed + nextWaitSeconds(3, polls - 1)).toBeGreaterThanOrEqual(900);
  });

  it('costs less than one state transition per 10 s of a long boot once at the cap', () => {
    // Act: three transitions per look
    const perSecond = 3 / nextWaitSeconds(3, 100);

    // Assess
    expect(perSecond).toBeLessThan(0.1);
  });
});
