import { describe, expect, it } from 'vitest';
import { simVmStateAt } from '#connectors/sim/vm-state';

const createdAt = '2030-01-01T00:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(createdAt) + seconds * 1000);

describe('simVmStateAt', () => {
  it('reports a VM pending while its boot time has not passed', () => {
    // Prepare
    const vm = { createdAt, bootSeconds: 5 };

    // Act
    const state = simVmStateAt(vm, at(4.999));

    // Assess
    expect(state).toEqual({ state: 'pending', rawState: 'Starting' });
  });

  it('reports a VM running from the moment its boot time has passed', () => {
    // Prepare
    const vm = { createdAt, bootSeconds: 5 };

    // Act
    const state = simVmStateAt(vm, at(5));

    // Assess
    expect(state).toEqual({ state: 'running', rawState: 'Running' });
  });

  it('reports a VM with no boot time running at once', () => {
    // Prepare
    const vm = { createdAt, bootSeconds: 0 };

    // Act
    const state = simVmStateAt(vm, at(0));

    // Assess
    expect(state.state).toBe('running');
  });

  it('reports a terminated VM terminated whatever its boot progress', () => {
    // Prepare
    const stillBooting = { createdAt, bootSeconds: 60, terminatedAt: at(1).toISOString() };
    const booted = { createdAt, bootSeconds: 1, terminatedAt: at(30).toISOString() };

    // Act
    const states = [simVmStateAt(stillBooting, at(2)), simVmStateAt(booted, at(31))];

    // Assess
    expect(states).toEqual([
      { state: 'terminated', rawState: 'Destroyed' },
      { state: 'terminated', rawState: 'Destroyed' },
    ]);
  });

  it('reports a VM an image was made of stopped, until it is terminated', () => {
    // Prepare
    const imaged = { createdAt, bootSeconds: 1, stoppedAt: at(10).toISOString() };

    // Act
    const states = [simVmStateAt(imaged, at(11)), simVmStateAt({ ...imaged, terminatedAt: at(12).toISOString() }, at(13))];

    // Assess
    expect(states).toEqual([
      { state: 'stopped', rawState: 'Stopped' },
      { state: 'terminated', rawState: 'Destroyed' },
    ]);
  });
});
