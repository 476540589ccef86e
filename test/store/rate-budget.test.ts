/**
 * The shared request budget of a (connector, credential), over DynamoDB Local,
 * on a virtual clock: a burst goes at once, then requests are spaced by the rate,
 * every holder of the same pair shares one bucket, and throttling holds all back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRateBudget, type BudgetOptions } from '#functions/store/rate-budget';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

let stack: StepStack;
let pair = 0;

beforeAll(async () => {
  stack = await startStepStack();
});

afterAll(async () => {
  await stack?.stop();
});

/** A virtual clock: `sleep` moves it on instead of waiting. */
function virtualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), advance: (ms: number) => void (now += ms) };
}

function budgetFor(name: string, clock: ReturnType<typeof virtualClock>, options: Omit<BudgetOptions, 'now' | 'sleep'>) {
  return tableRateBudget(stack.deps.table, name, 'cred_1', { ...options, now: clock.now, sleep: clock.sleep });
}

describe('tableRateBudget', () => {
  it('lets a burst through at once, then spaces requests by the rate', async () => {
    // Prepare
    pair += 1;
    const clock = virtualClock();
    const budget = budgetFor(`conn-${pair}`, clock, { requestsPerSecond: 10, burst: 3 });

    // Act
    for (let i = 0; i < 5; i++) await budget.take();

    // Assess: 3 at once, then 2 more at 100 ms each
    expect(budget.waitedMs()).toBe(100 + 100);
  });

  it('is one bucket for every holder of the same connector and credential', async () => {
    // Prepare
    pair += 1;
    const clock = virtualClock();
    const first = budgetFor(`conn-${pair}`, clock, { requestsPerSecond: 4, burst: 1 });
    const second = budgetFor(`conn-${pair}`, clock, { requestsPerSecond: 4, burst: 1 });
    const other = budgetFor(`conn-${pair}-other`, clock, { requestsPerSecond: 4, burst: 1 });

    // Act
    await first.take();
    await second.take();
    await other.take();

    // Assess
    expect(first.waitedMs()).toBe(0);
    expect(second.waitedMs()).toBe(250);
    expect(other.waitedMs()).toBe(0);
  });

  it('refills with time: after a quiet spell the burst is available again', async () => {
    // Prepare
    pair += 1;
    const clock = virtualClock();
    const budget = budgetFor(`conn-${pair}`, clock, { requestsPerSecond: 10, burst: 2 });
    await budget.take();
    await budget.take();
    clock.advance(1_000);

    // Act
    await budget.take();
    await budget.take();

    // Assess
    expect(budget.waitedMs()).toBe(0);
  });

  it('holds every holder back after the cloud throttled one of them', async () => {
    // Prepare
    pair += 1;
    const clock = virtualClock();
    const throttledOne = budgetFor(`conn-${pair}`, clock, { requestsPerSecond: 100, burst: 5, backOffMs: 2_000 });
    const another = budgetFor(`conn-${pair}`, clock, { requestsPerSecond: 100, burst: 5, backOffMs: 2_000 });
    await throttledOne.take();

    // Act
    await throttledOne.throttled();
    await another.take();

    // Assess: the back-off less the burst allowance of 4 intervals of 10 ms
    expect(another.waitedMs()).toBe(2_000 - 40);
  });

  it('never loses a token when many holders race for the same slot', async () => {
    // Prepare
    pair += 1;
    const frozen = { now: () => 5_000_000, sleep: async () => undefined };
    const holders = Array.from({ length: 8 }, () => tableRateBudget(stack.deps.table, `conn-${pair}`, 'cred_1', { requestsPerSecond: 1, burst: 1, ...frozen }));

    // Act: all take at the same instant
    await Promise.all(holders.map((h) => h.take()));

    // Assess: the 8 slots were handed out once each: 0, 1, … 7 s of wait
    const waits = holders.map((h) => h.waitedMs()).sort((a, b) => a - b);
    expect(waits).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000]);
  });
});
