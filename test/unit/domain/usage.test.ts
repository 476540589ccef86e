import { describe, expect, it } from 'vitest';
import { secondsPerDay, usageTotals } from '#functions/domain/usage';

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
});

describe('usageTotals', () => {
  const now = new Date('2026-05-02T00:30:00Z');

  it('adds up the VMs of one connector per day, and keeps connectors apart', () => {
    // Prepare
    const vms = [
      { connector: 'a', createdAt: '2026-05-01T23:00:00Z', terminatedAt: '2026-05-02T00:10:00Z' },
      { connector: 'a', createdAt: '2026-05-01T23:30:00Z', terminatedAt: '2026-05-01T23:40:00Z' },
      { connector: 'b', createdAt: '2026-05-01T23:50:00Z', terminatedAt: '2026-05-02T00:00:00Z' },
    ];
    // Act
    const totals = usageTotals(vms, now);
    // Assess
    expect(totals).toEqual([
      { day: '2026-05-01', connector: 'a', vmSeconds: 3600 + 600 },
      { day: '2026-05-02', connector: 'a', vmSeconds: 600 },
      { day: '2026-05-01', connector: 'b', vmSeconds: 600 },
    ]);
  });

  it('counts a VM still alive up to now, and skips one never created', () => {
    // Act
    const totals = usageTotals([{ connector: 'a', createdAt: '2026-05-02T00:00:00Z' }, { connector: 'a' }], now);
    // Assess
    expect(totals).toEqual([{ day: '2026-05-02', connector: 'a', vmSeconds: 1800 }]);
  });
});
