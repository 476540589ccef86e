/**
 * What the simulated guest is and publishes once booted: its hostname, its
 * private address, and the image's declared outputs with their defaults, as if
 * its recipe had run and reported back.
 */
import { createHash } from 'node:crypto';
import type { BootData, InstanceTag } from '#connectors/contract';

/** Domain the sim's VMs live under, one subdomain per run. */
export const SIM_DOMAIN = 'sim.internal';

/** DNS allows 63 characters per label. */
const MAX_LABEL = 63;

/** Lower-cases and keeps `a-z`, `0-9` and inner hyphens, e.g. `Web.2` → `web-2`. */
export function dnsLabel(text: string): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_LABEL)
    .replace(/^-+|-+$/g, '');
  return label;
}

/**
 * `web.2` of run `01J…` → `web-2.01j….sim.internal`. The tag stands in for a
 * name with nothing DNS-safe in it.
 */
export function simHostname(name: string, tag: InstanceTag): string {
  const host = dnsLabel(name) || dnsLabel(`${tag.node}-${tag.index}`) || `vm-${tag.index}`;
  const run = dnsLabel(tag.run) || 'run';
  return `${host}.${run}.${SIM_DOMAIN}`;
}

/**
 * A private IPv4 address in 10.0.0.0/8 derived from the VM id: the same VM always
 * has the same address, and the last octet avoids the network (0) and broadcast (255) ones.
 */
export function simIp(vmId: string): string {
  const digest = createHash('sha256').update(vmId).digest();
  const [b1 = 0, b2 = 0, b3 = 0] = digest;
  return `10.${b1}.${b2}.${1 + (b3 % 254)}`;
}

/**
 * What the guest publishes once running: `hostname` and `ip` from the VM itself,
 * then every other declared output that has a default. An output without a
 * default would have come from the recipe, which the sim does not run, so it is left out.
 */
export function simPublished(outputs: BootData['outputs'], vm: { hostname: string; ip: string }): Record<string, string> {
  const published: Record<string, string> = {};
  for (const output of outputs) {
    if (output.default !== undefined) published[output.name] = output.default;
  }
  // The VM's own values win over any default the image declares for them.
  published.hostname = vm.hostname;
  published.ip = vm.ip;
  return published;
}
