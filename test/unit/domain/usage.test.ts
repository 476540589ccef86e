import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { secondsPerDay, usageTotals, vmIntervals } from '#functions/domain/usage';

describe('secondsPerDay', () => {
  it('splits a VM lifetime across UTC days', () => {
    // Act
    const days = secondsPerDay(new Date('2026-01-01T23:59:00Z'), new Date('2026-01-02T00:01:00Z'));
    // Assess
    expect(days).toEqual({ '2026-01-01': 60, '2026-01-02': 60 });
  });

  it('gives whole days in between 86400 seconds each', () => {
    // Act
    const days = secondsPerDay(new Date('2026-01-01T12:00:00Z'), new Date('2026-01-04T00:00:00Z'));
    // Assess
    expect(days).toEqual({ '2026-01-01': 43_200, '2026-01-02': 86_400, '2026-01-03': 86_400 });
  });

  it('keeps a lifetime within one day on that day', () => {
    // Act
    const days = secondsPerDay(new Date('2026-03-05T08:00:00Z'), new Date('2026-03-05T08:00:01.600Z'));
    // Assess
    expect(days).toEqual({ '2026-03-05': 2 });
  });

  it('counts nothing for an empty or reversed lifetime', () => {
    // Prepare
    const at = new Date('2026-03-05T08:00:00Z');
    // Act
    const days = [secondsPerDay(at, at), secondsPerDay(at, new Date('2026-03-05T07:00:00Z'))];
    // Assess
    expect(days).toEqual([{}, {}]);
  });

  it('loses and adds no second however a lifetime falls across days and months (instants rounded once, then split)', () => {
    const instant = fc.integer({ min: Date.parse('2025-12-25T00:00:00Z'), max: Date.parse('2026-03-05T00:00:00Z') });
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const [from, to] = [Math.min(a, b), Math.max(a, b)];
        const days = secondsPerDay(new Date(from), new Date(to));
        const total = Object.values(days).reduce((s, n) => s + n, 0);
        expect(total).toBe(Math.round(to / 1000) - Math.round(from / 1000));
        expect(Object.values(days).every((n) => Number.isInteger(n) && n > 0 && n <= 86_400)).toBe(true);
      }),
    );
  });
});

describe('usageTotals', () => {
  const now = new Date('2026-05-02T00:30:00Z');

  it('adds up the VMs of one connector per day, and keeps connectors apart', () => {
    // Prepare
    const vms = [
      { name: 'db.1', connector: 'a', createdAt: '2026-05-01T23:00:00Z', terminatedAt: '2026-05-02T00:10:00Z' },
      { name: 'web.1', connector: 'a', createdAt: '2026-05-01T23:30:00Z', terminatedAt: '2026-05-01T23:40:00Z' },
      { name: 'web.2', connector: 'b', createdAt: '2026-05-01T23:50:00Z', terminatedAt: '2026-05-02T00:00:00Z' },
    ];
    // Act
    const totals = usageTotals(vms, now);
    // Assess
    expect(totals.map(({ day, connector, vmSeconds }) => ({ day, connector, vmSeconds }))).toEqual([
      { day: '2026-05-01', connector: 'a', vmSeconds: 3600 + 600 },
      { day: '2026-05-02', connector: 'a', vmSeconds: 600 },
      { day: '2026-05-01', connector: 'b', vmSeconds: 600 },
    ]);
  });

  it('counts a VM still alive up to now, and skips one never created', () => {
    // Act
    const totals = usageTotals(
      [
        { name: 'vm.1', connector: 'a', createdAt: '2026-05-02T00:00:00Z' },
        { name: 'vm.2', connector: 'a' },
      ],
      now,
    );
    // Assess
    expect(totals.map((t) => [t.day, t.vmSeconds])).toEqual([['2026-05-02', 1800]]);
  });

  it('keeps each instance’s interval on the day and totals per instance type, split at the month boundary', () => {
    // Prepare
    const vms = [
      { name: 'db.1', connector: 'a', instanceType: 'm1.large', createdAt: '2026-04-30T23:00:00.400Z', terminatedAt: '2026-05-01T01:00:00Z' },
      { name: 'web.1', connector: 'a', createdAt: '2026-04-30T23:30:00Z', terminatedAt: '2026-04-30T23:45:00Z' },
    ];
    // Act
    const totals = usageTotals(vms, now);
    // Assess
    expect(totals).toEqual([
      {
        day: '2026-04-30',
        connector: 'a',
        vmSeconds: 3600 + 900,
        byInstanceType: { 'm1.large': 3600, default: 900 },
        instances: [
          { instance: 'db.1', instanceType: 'm1.large', from: '2026-04-30T23:00:00.000Z', to: '2026-05-01T00:00:00.000Z', vmSeconds: 3600 },
          { instance: 'web.1', from: '2026-04-30T23:30:00.000Z', to: '2026-04-30T23:45:00.000Z', vmSeconds: 900 },
        ],
      },
      {
        day: '2026-05-01',
        connector: 'a',
        vmSeconds: 3600,
        byInstanceType: { 'm1.large': 3600 },
        instances: [{ instance: 'db.1', instanceType: 'm1.large', from: '2026-05-01T00:00:00.000Z', to: '2026-05-01T01:00:00.000Z', vmSeconds: 3600 }],
      },
    ]);
  });

  it('counts a VM terminated after the instant it is counted up to only up to that instant', () => {
    // Act
    const intervals = vmIntervals([{ connector: 'a', createdAt: '2026-05-02T00:00:00Z', terminatedAt: '2026-05-02T02:00:00Z' }], now);
    // Assess
    expect(intervals.map(({ from, to }) => to - from)).toEqual([1800]);
  });
});
