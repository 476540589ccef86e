/** Nova status and task state → generic state, per shared/docs/cloud-apis.md §2.3. */
import { describe, expect, it } from 'vitest';
import { rawServerState, serverState } from '#connectors/openstack/server-state';

describe('serverState', () => {
  it.each([
    ['BUILD', 'pending'],
    ['REBUILD', 'pending'],
    ['ACTIVE', 'running'],
    ['HARD_REBOOT', 'running'],
    ['VERIFY_RESIZE', 'running'],
    ['SHUTOFF', 'stopped'],
    ['SHELVED_OFFLOADED', 'stopped'],
    ['SOFT_DELETED', 'terminated'],
    ['DELETED', 'terminated'],
    ['ERROR', 'error'],
    ['UNKNOWN', 'error'],
    ['SOMETHING_NEW', 'error'],
  ])('maps status %s to %s', (status, state) => {
    // Act
    const mapped = serverState({ status });

    // Assess
    expect(mapped).toBe(state);
  });

  it('lets status win over a task state still saying spawning', () => {
    // Act
    const mapped = serverState({ status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': 'spawning' });

    // Assess
    expect(mapped).toBe('running');
  });

  it('counts a server being deleted as terminated', () => {
    // Act
    const mapped = serverState({ status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': 'deleting' });

    // Assess
    expect(mapped).toBe('terminated');
  });

  it('counts a server powering off as stopping', () => {
    // Act
    const mapped = serverState({ status: 'ACTIVE', 'OS-EXT-STS:task_state': 'powering-off' });

    // Assess
    expect(mapped).toBe('stopping');
  });
});

describe('rawServerState', () => {
  it('keeps status, vm_state and task_state', () => {
    // Act
    const raw = rawServerState({ status: 'BUILD', 'OS-EXT-STS:vm_state': 'building', 'OS-EXT-STS:task_state': 'spawning' });

    // Assess
    expect(raw).toBe('BUILD (building/spawning)');
  });

  it("adds the fault's scheduling details to an ERROR server whose message is generic", () => {
    // Act
    const raw = rawServerState({
      status: 'ERROR',
      'OS-EXT-STS:vm_state': 'error',
      fault: { code: '500', message: 'test message', details: 'No valid host was found.' },
    });

    // Assess
    expect(raw).toBe('ERROR (error): No valid host was found.');
  });
});
