/**
 * Servers in bulk (`GET /servers/detail`), every page, narrowed to Slipway's.
 * Nova cannot filter on metadata for normal users (an unknown filter is silently
 * ignored), so the `name` regex narrows on the server side where it can and the
 * tag in the metadata decides on this side.
 */
import type { CloudInstance, InstanceTag } from '#connectors/contract';
import { readTag, tagKey } from '#connectors/commons/tag';
import type { OpenstackContext } from './context';
import type { NovaServer } from './nova-server';
import { withFaults } from './server-faults';
import { toCloudInstance } from './server-view';
import { jsonBody, serviceCall } from './service-call';

/** Stops a cloud whose `next` link never ends from looping forever. */
const MAX_PAGES = 100;

/** Every server whose name matches the regex `name` (all servers without one), all pages. */
export async function listServers(ctx: OpenstackContext, name?: string): Promise<NovaServer[]> {
  const servers: NovaServer[] = [];
  let query: Record<string, string> = name === undefined ? {} : { name };
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await serviceCall(ctx, { service: 'compute', path: '/servers/detail', query });
    const body = jsonBody<{ servers?: NovaServer[]; servers_links?: { rel?: string; href?: string }[] }>(response, 'openstack GET /servers/detail');
    servers.push(...(body.servers ?? []));
    const next = body.servers_links?.find((link) => link.rel === 'next')?.href;
    if (!next) break;
    // Only the query of Nova's absolute link is used: its host may be one only the cloud's proxy knows.
    const nextQuery = Object.fromEntries(new URL(next, 'http://next.invalid').searchParams);
    if (nextQuery.marker === undefined || nextQuery.marker === query.marker) break;
    query = nextQuery;
  }
  return servers;
}

/** What Slipway names a server: the run id keeps names unique across runs and lets a list narrow by run. */
export function serverName(tag: InstanceTag, name: string): string {
  return `slipway-${tag.run}-${name}`;
}

/** The `name` regex of a run's servers. */
function runPattern(run: string): string {
  return `^${literal(`slipway-${run}-`)}`;
}

/** A regex matching a literal string. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Slipway's servers whose tag passes `keep`, failed ones with their fault.
 * Other servers are dropped before any further call.
 */
async function taggedServers(ctx: OpenstackContext, run: string | undefined, keep: (tag: InstanceTag) => boolean): Promise<NovaServer[]> {
  const servers = await listServers(ctx, run === undefined ? undefined : runPattern(run));
  return withFaults(
    ctx,
    servers.filter((server) => {
      const tag = readTag(server.metadata ?? {});
      return tag !== undefined && keep(tag);
    }),
  );
}

/** Slipway's VMs in the project, or one run's. */
export async function listInstances(ctx: OpenstackContext, filter: { run?: string } = {}): Promise<CloudInstance[]> {
  const servers = await taggedServers(ctx, filter.run, (tag) => filter.run === undefined || tag.run === filter.run);
  return servers.map(toCloudInstance);
}

/**
 * The servers made for `tag` (normally one), with their raw Nova view. Narrowed
 * by the run's name prefix, not the full name, so a VM renamed since still counts.
 */
export async function serversForTag(ctx: OpenstackContext, tag: InstanceTag): Promise<{ server: NovaServer; vm: CloudInstance }[]> {
  const servers = await taggedServers(ctx, tag.run, (found) => tagKey(found) === tagKey(tag));
  return servers.map((server) => ({ server, vm: toCloudInstance(server) }));
}
