/** Which address a server shows as `ip`, from the recorded servers and variants of them. */
import { describe, expect, it } from 'vitest';
import type { NovaServer } from '#connectors/openstack/nova-server';
import { serverIp } from '#connectors/openstack/server-address';
import { fixture } from './support/fixture-cloud';

const recorded = (file: string, id: string | number): NovaServer => {
  const body = JSON.parse(fixture(file)) as { servers: NovaServer[] };
  return body.servers.find((s) => String(s.id) === String(id))!;
};

describe('serverIp', () => {
  it('takes the IPv4 address of the public network over the private one', () => {
    // Act
    const ip = serverIp(recorded('_servers_detail.json', 12064));

    // Assess
    expect(ip).toBe('50.57.94.30');
  });

  it('takes a floating IPv4 address over fixed ones', () => {
    // Act
    const ip = serverIp(recorded('_servers_detail.json', 12065));

    // Assess
    expect(ip).toBe('192.168.3.3');
  });

  it('takes the fixed address when that is all the server has', () => {
    // Act
    const ip = serverIp(recorded('_servers_detail_ERROR_STATE.json', '2d05bd68-3fbb-4b47-9f38-c690a5d93e45'));

    // Assess
    expect(ip).toBe('192.168.3.4');
  });

  it("takes the operator's accessIPv4 first", () => {
    // Prepare
    const server = { ...recorded('_servers_detail.json', 12064), accessIPv4: '203.0.113.7' };

    // Act
    const ip = serverIp(server);

    // Assess
    expect(ip).toBe('203.0.113.7');
  });

  it('falls back to the first global IPv6 address of an IPv6-only server', () => {
    // Prepare
    const server: NovaServer = {
      addresses: {
        public: [
          { version: 6, addr: 'fe80::f816:3eff:fe77:32e3' },
          { version: 6, addr: '2001:4801:7808:52:16:3eff:fe77:32e3' },
        ],
      },
    };

    // Act
    const ip = serverIp(server);

    // Assess
    expect(ip).toBe('2001:4801:7808:52:16:3eff:fe77:32e3');
  });

  it('skips a NIC without an address instead of failing', () => {
    // Prepare
    const server = {
      addresses: { empty: [{ version: 4, 'OS-EXT-IPS:type': 'fixed' }], nothing: undefined, net: [{ version: 4, addr: '10.0.0.5' }] },
    } as NovaServer;

    // Act
    const ip = serverIp(server);

    // Assess
    expect(ip).toBe('10.0.0.5');
  });

  it('has no address for a server with none yet', () => {
    // Act
    const ip = serverIp({ addresses: {} });

    // Assess
    expect(ip).toBeUndefined();
  });
});
