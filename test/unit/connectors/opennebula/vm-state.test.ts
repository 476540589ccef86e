/** STATE and LCM_STATE → generic state, against the table in cloud-apis.md §3.5. */
import { describe, expect, it } from 'vitest';
import { KNOWN_LCM_STATES, opennebulaVmState } from '#connectors/opennebula/vm-state';

const STATES: [number, string, string][] = [
  [0, 'INIT', 'pending'],
  [1, 'PENDING', 'pending'],
  [2, 'HOLD', 'pending'],
  [4, 'STOPPED', 'stopped'],
  [5, 'SUSPENDED', 'stopped'],
  [6, 'DONE', 'terminated'],
  [7, 'FAILED', 'error'],
  [8, 'POWEROFF', 'stopped'],
  [9, 'UNDEPLOYED', 'stopped'],
  [10, 'CLONING', 'pending'],
  [11, 'CLONING_FAILURE', 'error'],
];

/** The documented table, LCM_STATE by generic state (STATE=3). */
const LCM_TABLE: Record<string, number[]> = {
  pending: [0, 1, 2, 9, 15, 19, 20, 21, 22, 31, 32, 60],
  running: [3, 4, 7, 8, 17, 24, 25, 26, 35, 57, 58, 59, 62, 66, 69],
  stopping: [5, 6, 10, 11, 12, 13, 18, 23, 29, 30],
  stopped: [27, 28, 33, 34, 43, 45, 51, 52, 53, 54, 55, 56, 63, 64, 65, 67, 68, 70, 71],
  error: [14, 16, 36, 37, 38, 39, 40, 41, 42, 44, 46, 47, 48, 49, 50, 61],
};

describe('OpenNebula VM state mapping', () => {
  it.each(STATES)('maps STATE %i (%s) to %s whatever the LCM_STATE', (state, name, generic) => {
    // Act
    const mapped = opennebulaVmState(state, 3);

    // Assess
    expect(mapped).toEqual({ state: generic, rawState: name });
  });

  it.each(Object.entries(LCM_TABLE).flatMap(([generic, codes]) => codes.map((code) => [code, generic] as const)))(
    'maps ACTIVE with LCM_STATE %i to %s',
    (lcm, generic) => {
      // Act
      const mapped = opennebulaVmState(3, lcm);

      // Assess
      expect(mapped.state).toBe(generic);
      expect(mapped.rawState).toMatch(/^ACTIVE\/[A-Z_]+$/);
    },
  );

  it('knows every LCM_STATE from 0 to 71 and maps each exactly once in the table', () => {
    // Act
    const tabled = Object.values(LCM_TABLE)
      .flat()
      .sort((a, b) => a - b);

    // Assess
    expect(KNOWN_LCM_STATES).toEqual(Array.from({ length: 72 }, (_, i) => i));
    expect(tabled).toEqual(KNOWN_LCM_STATES);
  });

  it('keeps the raw state as STATE/LCM_STATE names, e.g. ACTIVE/RUNNING', () => {
    // Act
    const running = opennebulaVmState(3, 3);
    const prolog = opennebulaVmState(3, 1);
    const shutdown = opennebulaVmState(3, 12);

    // Assess
    expect(running).toEqual({ state: 'running', rawState: 'ACTIVE/RUNNING' });
    expect(prolog).toEqual({ state: 'pending', rawState: 'ACTIVE/PROLOG' });
    expect(shutdown).toEqual({
      state: 'stopping',
      rawState: 'ACTIVE/SHUTDOWN',
    });
  });

  it('ignores a leftover LCM_STATE when the VM is not ACTIVE (vmpool.xml VM 8: STOPPED with LCM 5)', () => {
    // Act
    const mapped = opennebulaVmState(4, 5);

    // Assess
    expect(mapped).toEqual({ state: 'stopped', rawState: 'STOPPED' });
  });

  it('maps an LCM_STATE newer than the table to running, keeping its number', () => {
    // Act
    const mapped = opennebulaVmState(3, 99);

    // Assess
    expect(mapped).toEqual({
      state: 'running',
      rawState: 'ACTIVE/LCM_STATE_99',
    });
  });

  it('maps a STATE newer than the table to error without throwing', () => {
    // Act
    const mapped = opennebulaVmState(42, 0);

    // Assess
    expect(mapped).toEqual({ state: 'error', rawState: 'STATE_42' });
  });
});
