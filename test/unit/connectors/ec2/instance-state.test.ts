/** EC2 state codes → Slipway's generic states (../shared/docs/cloud-apis.md §4.5). */
import { describe, expect, it } from 'vitest';
import { mapEc2State } from '#connectors/ec2/instance-state';

describe('mapEc2State', () => {
  it.each([
    [0, 'pending', 'pending'],
    [16, 'running', 'running'],
    [32, 'shutting-down', 'stopping'],
    [48, 'terminated', 'terminated'],
    [64, 'stopping', 'stopping'],
    [80, 'stopped', 'stopped'],
  ])('maps code %i (%s) to %s and keeps the raw name', (code, name, generic) => {
    // Act
    const mapped = mapEc2State({ Code: code, Name: name as never });

    // Assess
    expect(mapped).toEqual({ state: generic, rawState: name });
  });

  it('reads only the low byte of the code, as the high byte is internal to EC2', () => {
    // Act
    const mapped = mapEc2State({ Code: 0x100 + 16, Name: 'running' });

    // Assess
    expect(mapped.state).toBe('running');
  });

  it('maps an unknown code to error without throwing', () => {
    // Act
    const mapped = mapEc2State({ Code: 96 });

    // Assess
    expect(mapped).toEqual({ state: 'error', rawState: 'code 96' });
  });

  it('maps a missing state to error', () => {
    // Act
    const mapped = mapEc2State(undefined);

    // Assess
    expect(mapped).toEqual({ state: 'error', rawState: 'unknown' });
  });

  it('maps a launch the cloud failed (terminated for a Server.* reason) to error, keeping the reason', () => {
    // Act
    const mapped = mapEc2State({ Code: 48, Name: 'terminated' }, 'Server.InsufficientInstanceCapacity');

    // Assess
    expect(mapped).toEqual({ state: 'error', rawState: 'terminated (Server.InsufficientInstanceCapacity)' });
  });

  it('keeps a VM terminated by its user terminated', () => {
    // Act
    const mapped = mapEc2State({ Code: 48, Name: 'terminated' }, 'Client.UserInitiatedShutdown');

    // Assess
    expect(mapped.state).toBe('terminated');
  });
});
