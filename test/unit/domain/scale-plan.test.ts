import { describe, expect, it } from 'vitest';
import { heldQuota, planScale, scaleQuotaKey } from '#functions/domain/scale-plan';

const instances = (node: string, live: number[], gone: number[] = []) => [
  ...live.map((index) => ({ node, index, phase: 'created' })),
  ...gone.map((index) => ({ node, index, phase: 'terminated' })),
];

describe('planScale', () => {
  it('adds indexes after the highest the node ever had', () => {
    // Act
    const plan = planScale([...instances('web', [1, 2], [3]), ...instances('db', [1, 2, 3, 4])], 'web', 5);
    // Assess
    expect(plan).toEqual({ node: 'web', from: 2, to: 5, add: [4, 5, 6], remove: [] });
  });

  it('removes the highest live indexes, highest first', () => {
    // Act
    const plan = planScale(instances('web', [1, 2, 4, 5], [3]), 'web', 1);
    // Assess
    expect(plan).toEqual({ node: 'web', from: 4, to: 1, add: [], remove: [5, 4, 2] });
  });

  it('adds and removes nothing at the same count', () => {
    expect(planScale(instances('web', [1, 2]), 'web', 2)).toMatchObject({ add: [], remove: [] });
  });
});

describe('heldQuota', () => {
  it("is the first reservation plus every scale's signed entries", () => {
    // Prepare: 3 VMs, +3 (2 → 5), −4 (5 → 1), a failed +2 given back
    const scaled = {
      [scaleQuotaKey.added('s1')]: { a: 3 },
      [scaleQuotaKey.removed('s2')]: { a: -4 },
      [scaleQuotaKey.added('s3')]: { a: 2 },
      [scaleQuotaKey.rolledBack('s3')]: { a: -2 },
    };
    // Act
    const held = heldQuota({ a: 3, b: 1 }, scaled);
    // Assess
    expect(held).toEqual({ a: 2, b: 1 });
  });

  it('is the first reservation alone without scales, and nothing without either', () => {
    expect(heldQuota({ a: 3 }, undefined)).toEqual({ a: 3 });
    expect(heldQuota(undefined, undefined)).toEqual({});
  });
});
