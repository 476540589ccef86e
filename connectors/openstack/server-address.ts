/**
 * The one address Slipway shows for a server (`ip`, and the built-in `hostname`
 * parameter). IPv4 first, because that is what a user or a dependent node
 * reaches most often: the operator's `accessIPv4`, then a floating address,
 * then one on a network named like "public", then the first fixed one. A server
 * with no IPv4 at all shows its first global IPv6 address; a NIC without an
 * address is skipped.
 */
import type { NovaAddress, NovaServer } from './nova-server';

export function serverIp(server: NovaServer): string | undefined {
  if (server.accessIPv4) return server.accessIPv4;
  const all = Object.entries(server.addresses ?? {}).flatMap(([network, list]) =>
    (Array.isArray(list) ? list : [])
      .filter((a): a is NovaAddress & { addr: string } => typeof a?.addr === 'string' && a.addr !== '')
      .map((a) => ({ network, ...a })),
  );
  const v4 = all.filter((a) => a.version === 4 || (a.version === undefined && a.addr.includes('.')));
  const pick =
    v4.find((a) => a['OS-EXT-IPS:type'] === 'floating') ??
    v4.find((a) => /public/i.test(a.network)) ??
    v4.find((a) => a['OS-EXT-IPS:type'] === 'fixed') ??
    v4[0];
  if (pick) return pick.addr;
  if (server.accessIPv6) return server.accessIPv6;
  // Link-local (fe80::/10) addresses are useless from another host.
  return all.find((a) => a.addr.includes(':') && !/^fe[89ab]/i.test(a.addr))?.addr;
}
