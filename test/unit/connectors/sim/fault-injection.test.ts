import { describe, expect, it } from 'vitest';
import { seededUniform, simFaultFor, type SimFault } from '#connectors/sim/fault-injection';

const rates = (transientFailureRate: number, permanentFailureRate: number, seed = 1) => ({
  seed,
  transientFailureRate,
  permanentFailureRate,
});

function countFaults(settings: ReturnType<typeof rates>, draws: number): Record<SimFault, number> {
  const counts: Record<SimFault, number> = { none: 0, permanent: 0, transient: 0, lostResponse: 0 };
  for (let attempt = 1; attempt <= draws; attempt++) counts[simFaultFor(settings, 'run-1#web#1', attempt)]++;
  return counts;
}

describe('seededUniform', () => {
  it('gives the same number for the same seed, tag and attempt', () => {
    // Act
    const first = seededUniform(7, 'run-1#web#1', 3);
    const second = seededUniform(7, 'run-1#web#1', 3);

    // Assess
    expect(first).toBe(second);
  });

  it('gives different numbers when the seed, the tag or the attempt changes', () => {
    // Act
    const values = new Set([
      seededUniform(7, 'run-1#web#1', 3),
      seededUniform(8, 'run-1#web#1', 3),
      seededUniform(7, 'run-1#web#2', 3),
      seededUniform(7, 'run-1#web#1', 4),
    ]);

    // Assess
    expect(values.size).toBe(4);
  });

  it('spreads its numbers evenly over [0, 1)', () => {
    // Prepare
    const draws = 10_000;
    const buckets = new Array<number>(10).fill(0);

    // Act
    for (let attempt = 1; attempt <= draws; attempt++) {
      const u = seededUniform(42, 'run-1#db#1', attempt);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      buckets[Math.floor(u * 10)]!++;
    }

    // Assess: each tenth holds 1000 ± 15% of the draws
    for (const count of buckets) expect(Math.abs(count - draws / 10)).toBeLessThan(150);
  });
});

describe('simFaultFor', () => {
  it('never injects a fault when both rates are 0', () => {
    // Act
    const counts = countFaults(rates(0, 0), 1000);

    // Assess
    expect(counts.none).toBe(1000);
  });

  it('always fails for good when the permanent rate is 1', () => {
    // Act
    const counts = countFaults(rates(1, 1), 1000);

    // Assess
    expect(counts.permanent).toBe(1000);
  });

  it('splits transient failures about evenly between refused and lost-response attempts', () => {
    // Act
    const counts = countFaults(rates(1, 0), 2000);

    // Assess
    expect(counts.transient + counts.lostResponse).toBe(2000);
    expect(counts.lostResponse).toBeGreaterThan(850);
    expect(counts.lostResponse).toBeLessThan(1150);
  });

  it('injects each kind of fault in about the proportion its rate asks', () => {
    // Act
    const counts = countFaults(rates(0.3, 0.1), 10_000);

    // Assess
    expect(counts.permanent / 10_000).toBeCloseTo(0.1, 1);
    expect((counts.transient + counts.lostResponse) / 10_000).toBeCloseTo(0.3, 1);
    expect(counts.none / 10_000).toBeCloseTo(0.6, 1);
  });

  it('replays the same sequence of faults for the same seed', () => {
    // Act
    const first = Array.from({ length: 50 }, (_, i) => simFaultFor(rates(0.5, 0.2, 9), 'r#n#1', i + 1));
    const second = Array.from({ length: 50 }, (_, i) => simFaultFor(rates(0.5, 0.2, 9), 'r#n#1', i + 1));

    // Assess
    expect(second).toEqual(first);
  });
});
