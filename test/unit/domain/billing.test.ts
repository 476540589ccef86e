/**
 * Billing's pure logic: integer money with one rounding rule (a charge is the growth
 * of a rounded-down cumulative), months and trial days, invoice lines per order,
 * vendor reports. The money arithmetic is checked as properties (fast-check): no
 * minor unit lost or created, however a month or an order's usage is split.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  customerInvoice,
  dayCharge,
  DAY_SECONDS,
  feeDays,
  feeForDays,
  floorDiv,
  instant,
  invoiceId,
  monthSpan,
  nextMonth,
  orderLines,
  orderSpan,
  platformFee,
  previousMonth,
  safeAmount,
  totalsByCurrency,
  vendorReports,
  vmSecondsCharge,
  type BillableOrder,
  type VmInterval,
} from '#functions/domain/billing';

const MAX = Number.MAX_SAFE_INTEGER;

/** A month between 1970-01 and 2199-12. */
const anyMonth = fc
  .record({ year: fc.integer({ min: 1970, max: 2199 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}`);

/** Sorted distinct cut points strictly inside [0, n). */
const cutsOf = (n: number) =>
  fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 8 }).map((cuts) => [...cuts].filter((c) => c < n).sort((a, b) => a - b));

const order = (over: Partial<BillableOrder> = {}): BillableOrder => ({
  id: 'ord_1',
  customer: 'usr_c',
  vendor: 'usr_v',
  product: 'prd_1',
  plan: { name: 'basic', monthlyFee: { amount: 3000, currency: 'EUR' }, vmHourPrice: { amount: 36, currency: 'EUR' } },
  state: 'Active',
  startsAt: '2026-04-01T00:00:00.000Z',
  ...over,
});

const at = (iso: string) => instant(iso);
const span = (from: string, to: string) => ({ from: at(from), to: at(to) });
const vm = (from: string, to: string, instance = 'vm.1'): VmInterval => ({ run: 'run_1', instance, from: at(from), to: at(to) });

describe('integer money', () => {
  it('divides rounding towards minus infinity', () => {
    expect([floorDiv(7n, 2n), floorDiv(-7n, 2n), floorDiv(-8n, 2n), floorDiv(0n, 5n)]).toEqual([3n, -4n, -4n, 0n]);
    expect(() => floorDiv(1n, 0n)).toThrow(RangeError);
  });

  it('refuses an amount beyond the largest safe integer rather than round it', () => {
    expect(safeAmount(BigInt(MAX))).toBe(MAX);
    expect(() => safeAmount(BigInt(MAX) + 1n)).toThrow(RangeError);
    expect(() => vmSecondsCharge(MAX, 0, 3600 * 2)).toThrow(RangeError);
  });

  it('splits a monthly fee over the days of any month so that a full month sums to exactly the fee', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), anyMonth, (fee, month) => {
        const { days } = monthSpan(month);
        const charges = Array.from({ length: days }, (_, i) => dayCharge(fee, i, days));
        expect(charges.reduce((sum, c) => sum + BigInt(c), 0n)).toBe(BigInt(fee));
        // Each day costs the fee's daily share rounded down or up: never more than one minor unit apart.
        const low = floorDiv(BigInt(fee), BigInt(days));
        for (const c of charges) expect(BigInt(c) === low || BigInt(c) === low + 1n).toBe(true);
      }),
    );
  });

  it('charges any partition of a month’s days into invoices exactly the fee in total (no cent lost or created)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        anyMonth.chain((month) => fc.tuple(fc.constant(month), cutsOf(monthSpan(month).days))),
        (fee, [month, cuts]) => {
          const { days } = monthSpan(month);
          const bounds = [0, ...cuts, days];
          const parts = bounds.slice(1).map((end, k) =>
            feeForDays(
              fee,
              Array.from({ length: end - bounds[k]! }, (_, i) => bounds[k]! + i),
              days,
            ),
          );
          expect(parts.reduce((sum, p) => sum + p, 0)).toBe(fee);
        },
      ),
    );
  });

  it('charges the active days of a partial month the exact rational share of the fee, rounded down by less than one unit per run of days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), anyMonth, fc.nat(), fc.nat(), (fee, month, a, b) => {
        const { days } = monthSpan(month);
        const [first, last] = [a % (days + 1), b % (days + 1)].sort((x, y) => x - y) as [number, number];
        const charged = BigInt(
          feeForDays(
            fee,
            Array.from({ length: last - first }, (_, i) => first + i),
            days,
          ),
        );
        // floor(fee·last/D) − floor(fee·first/D): within one unit of fee·(last − first)/D.
        const exactTimesDays = BigInt(fee) * BigInt(last - first);
        expect(charged * BigInt(days) - exactTimesDays < BigInt(days)).toBe(true);
        expect(exactTimesDays - charged * BigInt(days) < BigInt(days)).toBe(true);
      }),
    );
  });

  it('charges VM-seconds × price per hour with integer arithmetic: any split of the seconds sums to floor(price × S / 3600)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 10 ** 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (price, seconds, rawCuts) => {
          const cuts = [...new Set(rawCuts.map((c) => c % (seconds + 1)))].sort((a, b) => a - b);
          const bounds = [0, ...cuts, seconds];
          const total = bounds.slice(1).reduce((sum, end, k) => sum + BigInt(vmSecondsCharge(price, bounds[k]!, end)), 0n);
          const exact = BigInt(price) * BigInt(seconds); // in 1/3600 of a minor unit
          expect(total).toBe(exact / 3600n);
          expect(exact - total * 3600n >= 0n && exact - total * 3600n < 3600n).toBe(true);
        },
      ),
    );
  });

  it('keeps products beyond 2^53 exact (BigInt), where a floating-point product would not be', () => {
    const price = 900_719_925_474; // minor units per hour
    const seconds = 3_601_234;
    expect(vmSecondsCharge(price, 0, seconds)).toBe(Number((BigInt(price) * BigInt(seconds)) / 3600n));
    expect(Number.isSafeInteger(price * seconds)).toBe(false);
  });

  it('totals per currency lose and create no cent, in any order', () => {
    const amount = fc.record({ amount: fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), currency: fc.constantFrom('EUR', 'USD', 'CHF') });
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 60 }), (amounts) => {
        const totals = totalsByCurrency(amounts);
        for (const currency of ['EUR', 'USD', 'CHF']) {
          const sum = amounts.filter((a) => a.currency === currency).reduce((s, a) => s + BigInt(a.amount), 0n);
          expect(BigInt(totals.find((t) => t.currency === currency)?.amount ?? 0)).toBe(sum);
        }
        expect(totalsByCurrency([...amounts].reverse())).toEqual(totals);
        expect(totals.map((t) => t.currency)).toEqual([...totals.map((t) => t.currency)].sort());
      }),
    );
  });

  it('takes the platform fee rounded down, and fee + net is exactly the revenue', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 14), max: 10 ** 14 }), fc.integer({ min: 0, max: 10_000 }), (revenue, bp) => {
        const fee = platformFee(revenue, bp);
        expect(BigInt(fee)).toBe(floorDiv(BigInt(revenue) * BigInt(bp), 10_000n));
        expect(fee + (revenue - fee)).toBe(revenue);
        if (revenue >= 0) expect(fee >= 0 && fee <= revenue).toBe(true);
      }),
    );
    expect([platformFee(10_001, 1500), platformFee(0, 1500), platformFee(999, 10_000)]).toEqual([1500, 0, 999]);
  });
});

describe('months', () => {
  it('knows the length of each UTC month and its neighbours', () => {
    expect(monthSpan('2024-02')).toMatchObject({ days: 29, start: at('2024-02-01T00:00:00Z'), end: at('2024-03-01T00:00:00Z') });
    expect(monthSpan('2026-12').end).toBe(at('2027-01-01T00:00:00Z'));
    expect([previousMonth('2026-01'), nextMonth('2026-12'), previousMonth('2026-03')]).toEqual(['2025-12', '2027-01', '2026-02']);
    expect(() => monthSpan('2026-13')).toThrow(RangeError);
  });
});

describe('orderSpan', () => {
  it('charges an order from its start to the earlier of its end and its term', () => {
    expect(orderSpan(order())).toEqual({ from: at('2026-04-01T00:00:00Z'), to: Infinity, trialEnd: at('2026-04-01T00:00:00Z') });
    expect(orderSpan(order({ state: 'Cancelled', endedAt: '2026-04-10T12:00:00Z', endsAt: '2026-05-01T00:00:00Z' }))?.to).toBe(at('2026-04-10T12:00:00Z'));
    expect(orderSpan(order({ endsAt: '2026-04-20T00:00:00Z' }))?.to).toBe(at('2026-04-20T00:00:00Z'));
  });

  it('never charges an order that did not become Active', () => {
    expect(orderSpan(order({ startsAt: undefined }))).toBeUndefined();
    expect(orderSpan(order({ state: 'Pending' }))).toBeUndefined();
    expect(orderSpan(order({ state: 'Provisioning' }))).toBeUndefined();
    expect(orderSpan(order({ state: 'Failed', endedAt: '2026-04-02T00:00:00Z' }))).toBeUndefined();
  });

  it('ends the trial at the start of the UTC day trialDays days after the first day', () => {
    const plan = { ...order().plan, trialDays: 3 };
    expect(orderSpan(order({ plan, startsAt: '2026-04-05T17:30:00Z' }))?.trialEnd).toBe(at('2026-04-08T00:00:00Z'));
  });
});

describe('orderLines', () => {
  const april = span('2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z');

  it('charges a whole month the whole fee, and the VM-hours of its usage', () => {
    // Act
    const lines = orderLines(order(), april, [vm('2026-04-02T00:00:00Z', '2026-04-02T10:00:00Z'), vm('2026-04-03T00:00:00Z', '2026-04-03T00:30:00Z', 'vm.2')]);
    // Assess
    expect(lines.map(({ kind, month, quantity, amount }) => ({ kind, month, quantity, amount }))).toEqual([
      { kind: 'fee', month: '2026-04', quantity: 30, amount: { amount: 3000, currency: 'EUR' } },
      { kind: 'vm-hours', month: '2026-04', quantity: 37_800, amount: { amount: 378, currency: 'EUR' } },
    ]);
    expect(lines[0]).toMatchObject({ order: 'ord_1', product: 'prd_1', plan: 'basic', vendor: 'usr_v' });
  });

  it('charges the days an order was active, the day it started included', () => {
    // Act
    const lines = orderLines(order({ startsAt: '2026-04-21T23:00:00Z' }), april, []);
    // Assess: days 21..30 (indexes 20..29)
    expect(lines).toMatchObject([{ kind: 'fee', quantity: 10, amount: { amount: 1000 } }]);
  });

  it('charges neither fee nor VM-hours on trial days', () => {
    // Prepare
    const plan = { ...order().plan, trialDays: 2 };
    const usage = [vm('2026-04-10T22:00:00Z', '2026-04-12T02:00:00Z')];
    // Act
    const lines = orderLines(order({ plan, startsAt: '2026-04-10T20:00:00Z' }), april, usage);
    // Assess: the 10th and 11th are free; from the 12th on: 19 days and 2 hours.
    expect(lines.map((l) => [l.kind, l.quantity, l.amount.amount])).toEqual([
      ['fee', 19, 1900],
      ['vm-hours', 7200, 72],
    ]);
  });

  it('charges no usage before the order started nor after it ended', () => {
    const lines = orderLines(order({ startsAt: '2026-04-10T00:00:00Z', state: 'Cancelled', endedAt: '2026-04-11T00:00:00Z' }), april, [
      vm('2026-04-09T23:00:00Z', '2026-04-11T01:00:00Z'),
    ]);
    expect(lines.map((l) => [l.kind, l.quantity])).toEqual([
      ['fee', 1],
      ['vm-hours', 86_400],
    ]);
  });

  it('gives nothing for an order that never became Active', () => {
    expect(orderLines(order({ state: 'Failed', endedAt: '2026-04-02T00:00:00Z' }), april, [vm('2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z')])).toEqual([]);
  });

  it('after a close in the middle of a month, charges the rest of that month on the next window, per month', () => {
    // Prepare: April closed early at the 20th 12:00; the next window runs to the end of May.
    const cut = at('2026-04-20T12:00:00Z');
    const usage = [vm('2026-04-20T11:00:00Z', '2026-04-20T13:00:00Z')];
    // Act
    const first = orderLines(order(), { from: april.from, to: cut }, usage);
    const second = orderLines(order(), { from: cut, to: at('2026-06-01T00:00:00Z') }, usage);
    // Assess
    expect(first.map((l) => [l.kind, l.month, l.quantity])).toEqual([
      ['fee', '2026-04', 20],
      ['vm-hours', '2026-04', 3600],
    ]);
    expect(second.map((l) => [l.kind, l.month, l.quantity])).toEqual([
      ['fee', '2026-04', 10],
      ['vm-hours', '2026-04', 3600],
      ['fee', '2026-05', 31],
    ]);
    expect(first[0]!.amount.amount + second[0]!.amount.amount).toBe(3000);
  });

  it('bills every second and every day once however the time is cut into closes (property)', () => {
    const start = at('2026-03-01T00:00:00Z');
    const end = at('2026-06-01T00:00:00Z');
    const length = end - start;
    const interval = fc.tuple(fc.integer({ min: 0, max: length }), fc.integer({ min: 0, max: 5 * DAY_SECONDS })).map(([offset, duration]) => ({
      run: 'run_1',
      instance: 'vm.1',
      from: start + offset,
      to: Math.min(end, start + offset + duration),
    }));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 7 }),
        fc.integer({ min: 0, max: 10 ** 5 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 60 * DAY_SECONDS }),
        fc.array(interval, { maxLength: 5 }),
        fc.uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: 5 }),
        (fee, price, trialDays, startOffset, usage, rawCuts) => {
          const o = order({
            startsAt: new Date((start + startOffset) * 1000).toISOString(),
            plan: { name: 'p', monthlyFee: { amount: fee, currency: 'EUR' }, vmHourPrice: { amount: price, currency: 'EUR' }, trialDays },
          });
          const cuts = [start, ...[...rawCuts].sort((a, b) => a - b).map((c) => start + c), end];
          const pieces = cuts.slice(1).flatMap((to, k) => orderLines(o, { from: cuts[k]!, to }, usage));
          const whole = orderLines(o, { from: start, to: end }, usage);
          const sum = (lines: typeof whole, kind: string, field: 'quantity' | 'amount') =>
            lines.filter((l) => l.kind === kind).reduce((s, l) => s + (field === 'quantity' ? l.quantity : l.amount.amount), 0);
          for (const kind of ['fee', 'vm-hours'])
            for (const field of ['quantity', 'amount'] as const) expect(sum(pieces, kind, field), `${kind} ${field}`).toBe(sum(whole, kind, field));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts each fee day in the window holding the order’s first moment on it', () => {
    // An order started at 10:00 on the 5th, windows cut at 08:00 and 12:00 of the 5th.
    const s = orderSpan(order({ startsAt: '2026-04-05T10:00:00Z' }))!;
    expect([...feeDays(s, span('2026-04-01T00:00:00Z', '2026-04-05T08:00:00Z')).values()]).toEqual([]);
    expect([...feeDays(s, span('2026-04-05T08:00:00Z', '2026-04-05T12:00:00Z')).values()]).toEqual([[4]]);
    expect([...feeDays(s, span('2026-04-05T12:00:00Z', '2026-04-06T12:00:00Z')).values()]).toEqual([[5]]);
  });
});

describe('invoices and vendor reports', () => {
  const april = span('2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z');
  const usd = { name: 'pro', monthlyFee: { amount: 999, currency: 'USD' }, vmHourPrice: { amount: 7, currency: 'USD' } };

  it('issues one invoice per customer with its orders’ lines and a total per currency', () => {
    // Act
    const invoice = customerInvoice(
      'usr_c',
      '2026-04',
      april,
      [
        { order: order({ id: 'ord_b', plan: usd, product: 'prd_2' }), usage: [vm('2026-04-01T00:00:00Z', '2026-04-01T01:00:00Z')] },
        { order: order({ id: 'ord_a' }), usage: [] },
      ],
      '2026-05-01T00:15:00.000Z',
    )!;
    // Assess
    expect(invoice).toMatchObject({ id: invoiceId('2026-04', 'usr_c'), customer: 'usr_c', month: '2026-04', state: 'issued', version: 1 });
    expect(invoice.lines.map((l) => l.order)).toEqual(['ord_a', 'ord_b', 'ord_b']);
    expect(invoice.totals).toEqual([
      { amount: 3000, currency: 'EUR' },
      { amount: 999 + 7, currency: 'USD' },
    ]);
    expect([invoice.coveredFrom, invoice.coveredUntil]).toEqual(['2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z']);
  });

  it('issues no invoice when nothing is charged', () => {
    expect(customerInvoice('usr_c', '2026-04', april, [{ order: order({ state: 'Pending' }), usage: [] }], '2026-05-01T00:15:00.000Z')).toBeUndefined();
  });

  it('reports per vendor the revenue per product and plan, the fee rounded down and the net', () => {
    // Prepare
    const issuedAt = '2026-05-01T00:15:00.000Z';
    const invoices = [
      customerInvoice('usr_c1', '2026-04', april, [{ order: order({ id: 'o1' }), usage: [] }], issuedAt)!,
      customerInvoice('usr_c2', '2026-04', april, [{ order: order({ id: 'o2', startsAt: '2026-04-16T00:00:00Z' }), usage: [] }], issuedAt)!,
      customerInvoice('usr_c3', '2026-04', april, [{ order: order({ id: 'o3', vendor: 'usr_w', plan: usd }), usage: [] }], issuedAt)!,
    ];
    // Act
    const reports = vendorReports('2026-04', invoices, 1250, april);
    // Assess
    expect(reports).toEqual([
      {
        vendor: 'usr_v',
        month: '2026-04',
        feeBasisPoints: 1250,
        coveredFrom: '2026-04-01T00:00:00.000Z',
        coveredUntil: '2026-05-01T00:00:00.000Z',
        lines: [{ product: 'prd_1', plan: 'basic', orders: 2, revenue: { amount: 4500, currency: 'EUR' } }],
        totals: [{ currency: 'EUR', revenue: 4500, fee: 562, net: 3938 }],
      },
      {
        vendor: 'usr_w',
        month: '2026-04',
        feeBasisPoints: 1250,
        coveredFrom: '2026-04-01T00:00:00.000Z',
        coveredUntil: '2026-05-01T00:00:00.000Z',
        lines: [{ product: 'prd_1', plan: 'pro', orders: 1, revenue: { amount: 999, currency: 'USD' } }],
        totals: [{ currency: 'USD', revenue: 999, fee: 124, net: 875 }],
      },
    ]);
  });
});
