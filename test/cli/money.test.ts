/**
 * Money as the CLI and the console print and read it (cli/money.ts): from and to
 * integer minor units, by each currency's ISO 4217 exponent, without floating point;
 * and the lines `order --wait` prints as an order moves (cli/order-view.ts). Pure: no stack.
 */
import { describe, expect, it } from 'vitest';
import type { OrderT, RunT } from '../../cli/api-types';
import { formatAmount, formatMoney, formatTotals, parseAmount, parseMoney, parsePercent, percent } from '../../cli/money';
import { orderChanges, orderFrame } from '../../cli/order-view';
import { parsePlanFlag } from '../../cli/product-file';

describe('printing money', () => {
  it.each([
    [1900, 'EUR', '19.00 EUR'],
    [4, 'EUR', '0.04 EUR'],
    [0, 'USD', '0.00 USD'],
    [-5, 'EUR', '-0.05 EUR'],
    [-123456, 'EUR', '-1234.56 EUR'],
    [1900, 'JPY', '1900 JPY'],
    [1234, 'KWD', '1.234 KWD'],
    [Number.MAX_SAFE_INTEGER, 'EUR', '90071992547409.91 EUR'],
  ])('prints %i minor units of %s as %s', (amount, currency, text) => {
    expect(formatMoney({ amount, currency })).toBe(text);
  });

  it('prints totals in several currencies, and none as 0', () => {
    expect(
      formatTotals([
        { amount: 1900, currency: 'EUR' },
        { amount: 5, currency: 'USD' },
      ]),
    ).toBe('19.00 EUR + 0.05 USD');
    expect(formatTotals([])).toBe('0');
    expect(formatAmount(7, 'EUR')).toBe('0.07');
  });

  it('prints basis points as a percentage', () => {
    expect([percent(1250), percent(2000), percent(5), percent(0), percent(10_000)]).toEqual(['12.5 %', '20 %', '0.05 %', '0 %', '100 %']);
  });
});

describe('reading money', () => {
  it.each([
    ['19.00 EUR', { amount: 1900, currency: 'EUR' }],
    ['19 eur', { amount: 1900, currency: 'EUR' }],
    ['EUR 0.04', { amount: 4, currency: 'EUR' }],
    ['9.5EUR', { amount: 950, currency: 'EUR' }],
    ['1900 JPY', { amount: 1900, currency: 'JPY' }],
    ['0.1 EUR', { amount: 10, currency: 'EUR' }],
    // 0.1 + 0.2 in floating point is 0.30000000000000004: read as text, 0.3 is 30 cents.
    ['0.3 EUR', { amount: 30, currency: 'EUR' }],
    ['90071992547409.91 EUR', { amount: Number.MAX_SAFE_INTEGER, currency: 'EUR' }],
  ])('reads %s', (text, money) => {
    expect(parseMoney(text)).toEqual(money);
  });

  it.each(['19', 'EUR', '19.001 EUR', '1.5 JPY', '-1 EUR', '1e3 EUR', '1,000 EUR', '90071992547409.92 EUR', '19.00 EURO'])('refuses %s', (text) => {
    expect(parseMoney(text)).toBeUndefined();
  });

  it('reads an amount in a currency’s major unit, refusing more decimals than it has', () => {
    expect([parseAmount('0.02', 'EUR'), parseAmount('2', 'EUR'), parseAmount('0.021', 'EUR'), parseAmount('3', 'JPY')]).toEqual([2, 200, undefined, 3]);
  });

  it('reads a percentage as basis points, from 0 to 100 with two decimals at most', () => {
    expect(['12.5%', '12.5 %', '20', '0.05', '100'].map(parsePercent)).toEqual([1250, 1250, 2000, 5, 10_000]);
    expect(['100.01', '-1', '1.234', 'x'].map(parsePercent)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('reads a --plan flag, money in minor units, term and trial in days', () => {
    expect(parsePlanFlag('name=basic,monthly=19.00EUR,vm-hour=0.04 EUR,term=30,trial=7')).toEqual({
      name: 'basic',
      monthlyFee: { amount: 1900, currency: 'EUR' },
      vmHourPrice: { amount: 4, currency: 'EUR' },
      termDays: 30,
      trialDays: 7,
    });
    expect(() => parsePlanFlag('name=basic,monthly=19EUR')).toThrow('vm-hour= is required');
    expect(() => parsePlanFlag('name=basic,monthly=19EUR,vm-hour=1EUR,term=two')).toThrow('term=two is not a whole number of days');
    expect(() => parsePlanFlag('name=basic,price=19EUR')).toThrow('expected name=…');
  });
});

describe('watching an order', () => {
  const at = (s: number) => `2026-12-01T10:00:${String(s).padStart(2, '0')}.000Z`;
  const plan = { name: 'pro', monthlyFee: { amount: 4900, currency: 'EUR' }, vmHourPrice: { amount: 3, currency: 'EUR' } };
  const order = (state: OrderT['state'], steps: [number, OrderT['state'], string][]): OrderT => ({
    id: 'ord_1',
    owner: 'usr_c',
    customer: 'usr_c',
    vendor: 'usr_v',
    product: 'prd_1',
    productVersion: 2,
    plan,
    state,
    attempts: 1,
    steps: steps.map(([s, stepState, message]) => ({ at: at(s), state: stepState, message })),
    createdAt: at(0),
    updatedAt: at(steps.at(-1)![0]),
    version: steps.length,
  });
  const run = (state: RunT['state'], web: RunT['instances']): RunT => ({
    id: 'run_1',
    owner: 'usr_c',
    deployment: 'dep_1',
    deploymentVersion: 1,
    nodes: {},
    state,
    tags: {},
    createdAt: at(1),
    updatedAt: at(2),
    version: 1,
    instances: web,
  });
  const instance = (state: 'pending' | 'running', ready = false) => ({
    name: 'web.1',
    node: 'web',
    index: 1,
    connector: 'sim-eu',
    state,
    ready,
    ip: '10.0.0.1',
    parameters: {},
  });

  it('prints each new step once, then the run’s instances as they change', () => {
    const pending = { order: order('Pending', [[0, 'Pending', 'ordered wordpress-hosting version 2, plan pro']]) };
    const provisioning = {
      order: order('Provisioning', [
        [0, 'Pending', 'ordered wordpress-hosting version 2, plan pro'],
        [1, 'Provisioning', 'attempt 1 of 3: launching run run_1'],
      ]),
      run: run('Executing', [instance('pending')]),
    };
    const active = {
      order: order('Active', [
        ...provisioning.order.steps.map((s, i) => [i, s.state, s.message] as [number, OrderT['state'], string]),
        [3, 'Active', 'active'],
      ]),
      run: run('Ready', [instance('running', true)]),
    };
    const now = new Date(at(4));

    expect(orderChanges(undefined, pending, now)).toEqual(['10:00:00 ord_1 Pending       ordered wordpress-hosting version 2, plan pro']);
    expect(orderChanges(pending, provisioning, now)).toEqual([
      '10:00:01 ord_1 Provisioning  attempt 1 of 3: launching run run_1',
      '10:00:04 run_1 web.1 pending on sim-eu 10.0.0.1',
    ]);
    expect(orderChanges(provisioning, active, now)).toEqual(['10:00:03 ord_1 Active        active', '10:00:04 run_1 Ready', '10:00:04 run_1 web.1 ready']);
    expect(orderChanges(active, active, now)).toEqual([]);
  });

  it('keeps a frame under the lines on a terminal: the order, its run and the run’s nodes', () => {
    const view = {
      order: order('Provisioning', [[0, 'Pending', 'ordered']]),
      run: run('Executing', [instance('pending')]),
      productName: 'wordpress-hosting',
    };

    expect(orderFrame(view, new Date(at(15)))).toEqual([
      'ord_1  wordpress-hosting (pro)  Provisioning  15s',
      '  run run_1  Executing',
      '    web   sim-eu  web.1 pending',
    ]);
  });
});
