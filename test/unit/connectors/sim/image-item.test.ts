/** A built sim image's state follows from its timestamps and the clock alone. */
import { describe, expect, it } from 'vitest';
import { simImageStateAt, type SimImageItem } from '#connectors/sim/image-item';

const item: SimImageItem = {
  pk: 'SIM#sim-1#cred-1',
  sk: 'IMAGE#sim-img-1',
  imageId: 'sim-img-1',
  name: 'slipway-mysql-bld_1',
  tag: { image: 'img_1', build: 'bld_1' },
  vmId: 'vm-1',
  createdAt: '2031-01-01T00:00:00.000Z',
  readySeconds: 5,
};

describe('simImageStateAt', () => {
  it('is pending until readySeconds after the request', () => {
    // Act
    const state = simImageStateAt(item, new Date('2031-01-01T00:00:04.999Z'));

    // Assess
    expect(state).toEqual({ state: 'pending', rawState: 'Creating' });
  });

  it('is available from then on', () => {
    // Act
    const state = simImageStateAt(item, new Date('2031-01-01T00:00:05.000Z'));

    // Assess
    expect(state).toEqual({ state: 'available', rawState: 'Ready' });
  });

  it('is gone once deleted, whatever the clock says', () => {
    // Act
    const state = simImageStateAt({ ...item, deletedAt: '2031-01-01T00:00:01.000Z' }, new Date('2031-01-01T00:00:02.000Z'));

    // Assess
    expect(state).toMatchObject({ state: 'gone', rawState: 'Deleted' });
  });

  it('is gone when the table holds no such image, or only an expired one', () => {
    // Act
    const never = simImageStateAt(undefined, new Date('2031-01-01T00:00:00Z'));
    const expired = simImageStateAt({ ...item, ttl: 1 }, new Date('2031-01-01T00:00:00Z'));

    // Assess
    expect(never).toMatchObject({ state: 'gone', rawState: 'absent' });
    expect(expired).toMatchObject({ state: 'gone', rawState: 'absent' });
  });
});
