import { describe, expect, it } from 'vitest';
import { MAX_BOOT_POLL_SECONDS, maxPollsWithin, nextWaitSeconds } from '#functions/domain/boot-polling';

describe('boot polling', () => {
  it('looks again a quarter of the elapsed time later, at least a second later', () => {
    // Act: first look at 4 s, then at 5, 6, 8, 10, 13 s
    const waits = [1, 2, 3, 4, 5].map((polls) => nextWaitSeconds(4, polls));

    // Assess
    expect(waits).toEqual([1, 1, 2, 2, 3]);
  });

  it('sees a VM that is up at any time T by about 1.25 T (plus a second)', () => {
    for (const pollSeconds of [1, 3, 5, 30]) {
      // Act: the looks' times, up to 10 minutes
      const looks = [pollSeconds];
      while (looks.at(-1)! < 600) looks.push(looks.at(-1)! + nextWaitSeconds(pollSeconds, looks.length));

      // Assess: for a VM up just after any look, the next look comes at most 1.25× that time later (+1 s of rounding), until the cap
      for (let i = 0; i + 1 < looks.length; i++) {
        const up = looks[i]! + 0.001;
        const seen = looks[i + 1]!;
        expect(seen, `poll ${pollSeconds}, up at ${up}`).toBeLessThanOrEqual(Math.max(up * 1.25 + 1, up + MAX_BOOT_POLL_SECONDS));
      }
    }
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
