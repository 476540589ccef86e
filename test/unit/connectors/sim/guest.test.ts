import { describe, expect, it } from 'vitest';
import { dnsLabel, simHostname, simIp, simPublished } from '#connectors/sim/guest';

const tag = { run: '01J9ZK3V8Q4M2N6P7R8S9T0V1W', node: 'web', index: 2 };

describe('simHostname', () => {
  it('names a VM after its name and run under the sim domain', () => {
    // Act
    const hostname = simHostname('web.2', tag);

    // Assess
    expect(hostname).toBe('web-2.01j9zk3v8q4m2n6p7r8s9t0v1w.sim.internal');
  });

  it('keeps only DNS-safe characters, at most 63 per label', () => {
    // Act
    const label = dnsLabel(`--My_DB.node#1--${'x'.repeat(80)}`);

    // Assess
    expect(label).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    expect(label.length).toBeLessThanOrEqual(63);
    expect(label.startsWith('my-db-node-1-')).toBe(true);
  });

  it('falls back to the node and index when the name has nothing DNS-safe in it', () => {
    // Act
    const hostname = simHostname('...', tag);

    // Assess
    expect(hostname).toBe('web-2.01j9zk3v8q4m2n6p7r8s9t0v1w.sim.internal');
  });
});

describe('simIp', () => {
  it('gives the same VM the same private address every time', () => {
    // Act
    const first = simIp('vm-01j9zk3v8q4m2n6p7r8s9t0v1w');
    const second = simIp('vm-01j9zk3v8q4m2n6p7r8s9t0v1w');

    // Assess
    expect(second).toBe(first);
  });

  it('gives addresses in 10.0.0.0/8 that are neither network nor broadcast addresses', () => {
    // Act
    const ips = Array.from({ length: 500 }, (_, i) => simIp(`vm-${i}`));

    // Assess
    for (const ip of ips) {
      const octets = ip.split('.').map(Number);
      expect(octets).toHaveLength(4);
      expect(octets[0]).toBe(10);
      expect(octets[3]).toBeGreaterThanOrEqual(1);
      expect(octets[3]).toBeLessThanOrEqual(254);
    }
    expect(new Set(ips).size).toBeGreaterThan(490);
  });
});

describe('simPublished', () => {
  const vm = { hostname: 'db-1.run.sim.internal', ip: '10.1.2.3' };

  it('publishes hostname, ip and every declared output that has a default', () => {
    // Prepare
    const outputs = [{ name: 'hostname' }, { name: 'port', default: '3306' }, { name: 'engine', default: 'mariadb' }];

    // Act
    const published = simPublished(outputs, vm);

    // Assess
    expect(published).toEqual({ hostname: vm.hostname, ip: vm.ip, port: '3306', engine: 'mariadb' });
  });

  it('leaves out an output with no default, which only a recipe could have set', () => {
    // Act
    const published = simPublished([{ name: 'password' }], vm);

    // Assess
    expect(published).not.toHaveProperty('password');
  });

  it('publishes the VM own hostname and ip over any default the image declares for them', () => {
    // Act
    const published = simPublished(
      [
        { name: 'hostname', default: 'localhost' },
        { name: 'ip', default: '127.0.0.1' },
      ],
      vm,
    );

    // Assess
    expect(published).toEqual({ hostname: vm.hostname, ip: vm.ip });
  });
});
