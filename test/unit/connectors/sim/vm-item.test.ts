import { describe, expect, it } from 'vitest';
import { isExpired, simTagKey, toCloudInstance, type SimVmItem } from '#connectors/sim/vm-item';

const createdAt = '2030-01-01T00:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(createdAt) + seconds * 1000);

const item: SimVmItem = {
  pk: 'SIM#sim-1#cred-1',
  sk: 'VM#vm-1',
  vmId: 'vm-1',
  tag: { run: 'run-1', node: 'db', index: 1 },
  name: 'db.1',
  imageId: 'sim-debian-12',
  createdAt,
  bootSeconds: 10,
  ip: '10.0.0.7',
  publishes: { hostname: 'db-1.run-1.sim.internal', ip: '10.0.0.7', port: '5432' },
};

describe('toCloudInstance', () => {
  it('shows a booting VM with its address but nothing published yet', () => {
    // Act
    const instance = toCloudInstance(item, at(3));

    // Assess
    expect(instance).toEqual({ cloudId: 'vm-1', tag: item.tag, state: 'pending', rawState: 'Starting', ip: '10.0.0.7' });
  });

  it('shows a booted VM with what its guest published', () => {
    // Act
    const instance = toCloudInstance(item, at(10));

    // Assess
    expect(instance.state).toBe('running');
    expect(instance.published).toEqual(item.publishes);
  });

  it('shows a terminated VM with neither address nor published outputs', () => {
    // Act
    const instance = toCloudInstance({ ...item, terminatedAt: at(20).toISOString() }, at(21));

    // Assess
    expect(instance).toEqual({ cloudId: 'vm-1', tag: item.tag, state: 'terminated', rawState: 'Destroyed' });
  });
});

describe('isExpired', () => {
  it('treats an item as gone from the second its TTL passes', () => {
    // Prepare
    const ttl = Math.floor(at(60).getTime() / 1000);

    // Act
    const before = isExpired({ ttl }, at(59));
    const after = isExpired({ ttl }, at(60));
    const never = isExpired({}, at(1e9));

    // Assess
    expect([before, after, never]).toEqual([false, true, false]);
  });
});

describe('simTagKey', () => {
  it('puts the tag guard in the account partition, outside the VM listing prefix', () => {
    // Act
    const key = simTagKey({ connector: 'sim-1', account: 'cred-1' }, item.tag);

    // Assess
    expect(key).toEqual({ pk: 'SIM#sim-1#cred-1', sk: 'TAG#run-1#db#1' });
  });
});
