import { describe, expect, it } from 'vitest';
import { canMove, FAILED_VM_STATES, INSTANCE_STATES, isFailedVmState, isFinal, RUN_STATES, type RunState } from '#functions/domain/run-states';

/** Every allowed move of the product contract's run lifecycle. */
const ALLOWED: [RunState, RunState][] = [
  ['Initializing', 'Provisioning'],
  ['Provisioning', 'Executing'],
  ['Executing', 'Ready'],
  ['Initializing', 'Finalizing'],
  ['Provisioning', 'Finalizing'],
  ['Executing', 'Finalizing'],
  ['Ready', 'Finalizing'],
  ['Ready', 'Scaling'],
  ['Scaling', 'Ready'],
  ['Scaling', 'Finalizing'],
  ['Finalizing', 'Done'],
  ['Finalizing', 'Aborted'],
];

describe('run lifecycle', () => {
  it('allows exactly the moves of the product contract', () => {
    // Act
    const allowed = RUN_STATES.flatMap((from) => RUN_STATES.filter((to) => canMove(from, to)).map((to) => [from, to]));
    // Assess
    expect(allowed).toEqual(expect.arrayContaining(ALLOWED));
    expect(allowed).toHaveLength(ALLOWED.length);
  });

  it('calls Done and Aborted final, and no other state', () => {
    // Act
    const final = RUN_STATES.filter(isFinal);
    // Assess
    expect(final).toEqual(['Done', 'Aborted']);
  });
});

describe('VM states', () => {
  it('fails a booting VM that is stopping, stopped, in error or terminated, and no other', () => {
    // Act
    const failed = INSTANCE_STATES.filter(isFailedVmState);
    // Assess
    expect(failed).toEqual(['stopping', 'stopped', 'terminated', 'error']);
    expect([...FAILED_VM_STATES].sort()).toEqual([...failed].sort());
  });
});
