/**
 * Where a webhook may point (the SSRF rule). A webhook URL is `https://` to a public
 * host: no credentials in it, no IP literal or resolved address that is private,
 * loopback, link-local, shared (CGNAT), multicast or reserved, and no local name
 * (`localhost`, `*.localhost`, `*.local`, `*.internal`, a single label). The one
 * exception, for a stack that runs on one machine (`allowLoopback`, which the local
 * stack sets): `http://` or `https://` to `127.0.0.1`, `[::1]` or `localhost`.
 * Checked when the webhook is registered and, for the addresses its name resolves
 * to, again at every delivery (a name may resolve elsewhere later).
 */
import { BlockList, isIP } from 'node:net';

export interface UrlRule {
  /** Allow loopback targets (the local stack). */
  allowLoopback: boolean;
}

const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  forbidden.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  forbidden.addSubnet(network, prefix, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** True for a loopback address (IPv4-mapped IPv6 included). */
export function isLoopbackAddress(address: string): boolean {
  return isIP(address) !== 0 && loopback.check(address, family(address));
}

/** True when a webhook may not reach `address` (an IP, v4 or v6). */
export function isForbiddenAddress(address: string, rule: UrlRule): boolean {
  if (isIP(address) === 0) return true;
  if (isLoopbackAddress(address)) return !rule.allowLoopback;
  return forbidden.check(address, family(address));
}

const LOCAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/;

/** The host of `url` without IPv6 brackets or a trailing dot, lower-cased. */
function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** Why `raw` may not be a webhook URL under `rule`, or undefined when it may. */
export function webhookUrlProblem(raw: string, rule: UrlRule): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https:// URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  const host = hostOf(url);
  const toLoopback = host === 'localhost' || isLoopbackAddress(host);
  if (toLoopback) return rule.allowLoopback ? undefined : 'must not point to this machine (loopback)';
  if (url.protocol === 'http:') {
    return rule.allowLoopback ? 'must be an https:// URL (http:// only to 127.0.0.1, [::1] or localhost)' : 'must be an https:// URL';
  }
  if (isIP(host)) return isForbiddenAddress(host, rule) ? 'must not point to a private, link-local or reserved address' : undefined;
  if (!host.includes('.') || LOCAL_NAME.test(host)) return 'must name a public host (not a local or internal name)';
  return undefined;
}
