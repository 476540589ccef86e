import { describe, expect, it } from 'vitest';
import {
  canMoveOrder,
  dueWarning,
  endOfActiveOrder,
  endsAtFor,
  nextWarning,
  ORDER_MAX_ATTEMPTS,
  renewedEndsAt,
  retryWaitSeconds,
} from '#functions/domain/orders';
import { estimateHourlyCost, hourlyPrice } from '#functions/domain/pricing';

const eur = (perHour: Record<string, number>, defaultPerHour?: number) => ({
  currency: 'EUR',
  perHour,
  ...(defaultPerHour === undefined ? {} : { defaultPerHour }),
});
const at = (iso: string) => new Date(iso);

describe('the estimated hourly cost', () => {
  it('sums the price of each VM’s instance type on its connector, in minor units', () => {
    // Prepare
    const lists = new Map([['sim-eu', eur({ small: 2, large: 11 })]]);

    // Act
    const cost = estimateHourlyCost(
      [
        { connector: 'sim-eu', instanceType: 'small' },
        { connector: 'sim-eu', instanceType: 'large' },
        { connector: 'sim-eu', instanceType: 'large' },
      ],
      lists,
    );

    // Assess
    expect(cost).toEqual({ amount: 24, currency: 'EUR' });
  });

  it('prices a VM with no type, or a type the list does not name, at the default', () => {
    // Prepare
    const list = eur({ small: 2 }, 3);

    // Act & Assess
    expect(hourlyPrice(list, undefined)).toBe(3);
    expect(hourlyPrice(list, 'huge')).toBe(3);
    expect(hourlyPrice(list, 'constructor')).toBe(3);
    expect(estimateHourlyCost([{ connector: 'c' }, { connector: 'c', instanceType: 'small' }], new Map([['c', list]]))).toEqual({ amount: 5, currency: 'EUR' });
  });

  it('is absent rather than partial: no price list, no price for a type, mixed currencies, no VM', () => {
    // Prepare
    const lists = new Map([
      ['a', eur({ small: 2 })],
      ['b', { currency: 'USD', perHour: { small: 2 } }],
    ]);

    // Act & Assess
    expect(estimateHourlyCost([{ connector: 'none', instanceType: 'small' }], lists)).toBeUndefined();
    expect(estimateHourlyCost([{ connector: 'a', instanceType: 'large' }], lists)).toBeUndefined();
    expect(
      estimateHourlyCost(
        [
          { connector: 'a', instanceType: 'small' },
          { connector: 'b', instanceType: 'small' },
        ],
        lists,
      ),
    ).toBeUndefined();
    expect(estimateHourlyCost([], lists)).toBeUndefined();
  });
});

describe('the order lifecycle', () => {
  it('goes Pending → Provisioning → Active → Expired or Cancelled, and fails only before Active', () => {
    // Assess
    expect(canMoveOrder('Pending', 'Provisioning')).toBe(true);
    expect(canMoveOrder('Provisioning', 'Active')).toBe(true);
    expect(canMoveOrder('Active', 'Expired')).toBe(true);
    expect(canMoveOrder('Active', 'Cancelled')).toBe(true);
    expect(canMoveOrder('Pending', 'Cancelled')).toBe(true);
    expect(canMoveOrder('Provisioning', 'Failed')).toBe(true);
    expect(canMoveOrder('Active', 'Failed')).toBe(false);
    expect(canMoveOrder('Pending', 'Active')).toBe(false);
    expect(canMoveOrder('Cancelled', 'Active')).toBe(false);
    expect(canMoveOrder('Expired', 'Cancelled')).toBe(false);
  });

  it('retries a failed launch after 30 s, then 60 s by default, three attempts in all', () => {
    // Assess
    expect(ORDER_MAX_ATTEMPTS).toBe(3);
    expect([1, 2].map((failed) => retryWaitSeconds(30, failed))).toEqual([30, 60]);
    expect(retryWaitSeconds(0.2, 1)).toBe(1);
  });
});

describe('an order’s term', () => {
  it('ends termDays after it started, or never without a term', () => {
    // Assess
    expect(endsAtFor(at('2031-01-31T10:00:00Z'), 30)).toBe('2031-03-02T10:00:00.000Z');
    expect(endsAtFor(at('2031-01-31T10:00:00Z'), undefined)).toBeUndefined();
  });

  it('is renewed by one more term after its current end, only while Active and before that end', () => {
    // Prepare
    const order = { state: 'Active' as const, endsAt: '2031-03-02T10:00:00.000Z' };

    // Act & Assess
    expect(renewedEndsAt(order, 30, at('2031-03-01T00:00:00Z'))).toEqual({ endsAt: '2031-04-01T10:00:00.000Z' });
    expect(renewedEndsAt(order, 30, at('2031-03-02T10:00:00Z'))).toEqual({ refusal: expect.stringContaining('ended') });
    expect(renewedEndsAt({ state: 'Active' }, undefined, at('2031-03-01T00:00:00Z'))).toEqual({ refusal: expect.stringContaining('no term') });
    expect(renewedEndsAt({ ...order, state: 'Cancelled' }, 30, at('2031-03-01T00:00:00Z'))).toEqual({ refusal: expect.stringContaining('Cancelled') });
  });

  it('warns 7 days and 1 day before its end, each only once it is due', () => {
    // Prepare
    const endsAt = '2031-03-31T12:00:00.000Z';

    // Act & Assess
    expect(nextWarning(endsAt, at('2031-03-01T12:00:00Z'))).toMatchObject({ kind: '7d', at: '2031-03-24T12:00:00.000Z' });
    expect(nextWarning(endsAt, at('2031-03-24T12:00:00Z'))).toMatchObject({ kind: '1d', at: '2031-03-30T12:00:00.000Z' });
    expect(nextWarning(endsAt, at('2031-03-30T12:00:00Z'))).toBeUndefined();
    expect(dueWarning(endsAt, at('2031-03-24T11:59:59Z'))).toBeUndefined();
    expect(dueWarning(endsAt, at('2031-03-24T12:00:00Z'))).toMatchObject({ kind: '7d', message: `the order ends in 7 days, at ${endsAt}` });
  });

  it('gives only the latest warning when a tick comes late, and none once ended', () => {
    // Prepare
    const endsAt = '2031-03-31T12:00:00.000Z';

    // Act & Assess
    expect(dueWarning(endsAt, at('2031-03-30T13:00:00Z'))).toMatchObject({ kind: '1d' });
    expect(dueWarning(endsAt, at('2031-03-31T12:00:00Z'))).toBeUndefined();
  });

  it('skips the warnings a short term starts past: a 3-day term only gets the 1-day warning', () => {
    // Prepare
    const startsAt = at('2031-03-01T00:00:00Z');

    // Act
    const first = nextWarning(endsAtFor(startsAt, 3)!, startsAt);

    // Assess
    expect(first).toMatchObject({ kind: '1d', at: '2031-03-03T00:00:00.000Z' });
    expect(nextWarning(endsAtFor(startsAt, 1)!, startsAt)).toBeUndefined();
  });

  it('ends an Active order whose run ended: Expired at its end once that passed, Cancelled now before', () => {
    // Assess
    expect(endOfActiveOrder({ endsAt: '2031-03-31T12:00:00.000Z' }, at('2031-03-31T12:00:30Z'))).toEqual({
      state: 'Expired',
      endedAt: '2031-03-31T12:00:00.000Z',
    });
    expect(endOfActiveOrder({ endsAt: '2031-03-31T12:00:00.000Z' }, at('2031-03-20T00:00:00Z'))).toEqual({
      state: 'Cancelled',
      endedAt: '2031-03-20T00:00:00.000Z',
    });
    expect(endOfActiveOrder({}, at('2031-03-20T00:00:00Z')).state).toBe('Cancelled');
  });
});
