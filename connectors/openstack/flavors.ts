/**
 * Nova flavors: listed for admins, and resolved for a create, where
 * `instanceType` may be a flavor's id or its name. The list is kept a few
 * minutes per (endpoint, credential), so a run creating many VMs asks once;
 * a name the kept list lacks is looked up afresh before it is refused.
 */
import { PermanentCloudError } from '#connectors/errors';
import type { CreateInstanceRequest } from '#connectors/contract';
import { where, type OpenstackContext } from './context';
import { jsonBody, serviceCall } from './service-call';

export interface Flavor {
  id: string;
  name: string;
  vcpus?: number;
  ram?: number;
  disk?: number;
}

/** Flavors change rarely; a new one shows up within this time. */
const FLAVOR_TTL_MS = 5 * 60 * 1000;

const cache = new Map<string, { atMs: number; flavors: Flavor[] }>();

/** Every flavor the project may use (`GET /flavors/detail`), ids as strings; `fresh` skips the cache. */
export async function listFlavors(ctx: OpenstackContext, fresh = false): Promise<Flavor[]> {
  const key = `${ctx.endpoint}\u0000${ctx.credentialId}`;
  const nowMs = ctx.now().getTime();
  const cached = cache.get(key);
  if (!fresh && cached && nowMs - cached.atMs < FLAVOR_TTL_MS) return cached.flavors;
  const response = await serviceCall(ctx, { service: 'compute', path: '/flavors/detail' });
  const body = jsonBody<{ flavors?: (Omit<Flavor, 'id'> & { id: string | number })[] }>(response, 'openstack GET /flavors/detail');
  // Older Nova (and the recorded replies) send integer ids; modern ones strings.
  const flavors = (body.flavors ?? []).map((flavor) => ({ ...flavor, id: String(flavor.id) }));
  cache.set(key, { atMs: nowMs, flavors });
  return flavors;
}

/**
 * The flavor for a create: `instanceType` by id, then by name; without one, the
 * smallest flavor that has the asked cpu, RAM and disk.
 * @throws PermanentCloudError when no flavor fits, naming what was asked.
 */
export async function resolveFlavor(ctx: OpenstackContext, request: Pick<CreateInstanceRequest, 'instanceType' | 'cpu' | 'ramMb' | 'diskGb'>): Promise<Flavor> {
  const flavors = await listFlavors(ctx);
  const { instanceType, cpu = 0, ramMb = 0, diskGb = 0 } = request;
  if (instanceType !== undefined) {
    const byIdOrName = (list: Flavor[]) => list.find((flavor) => flavor.id === instanceType) ?? list.find((flavor) => flavor.name === instanceType);
    // Not in the cached list: an admin may have just added it, so ask once more.
    const found = byIdOrName(flavors) ?? byIdOrName(await listFlavors(ctx, true));
    if (found) return found;
    throw new PermanentCloudError(`flavor ${instanceType} does not exist in ${where(ctx)} (no flavor has that id or name)`);
  }
  if (cpu === 0 && ramMb === 0 && diskGb === 0) {
    throw new PermanentCloudError(`an instanceType (a flavor name or id) or a size (cpu, ramMb) is needed on ${where(ctx)}`);
  }
  const fitting = flavors
    .filter((flavor) => (flavor.vcpus ?? 0) >= cpu && (flavor.ram ?? 0) >= ramMb && (flavor.disk ?? 0) >= diskGb)
    .sort((a, b) => (a.ram ?? 0) - (b.ram ?? 0) || (a.vcpus ?? 0) - (b.vcpus ?? 0) || (a.disk ?? 0) - (b.disk ?? 0));
  if (fitting[0]) return fitting[0];
  throw new PermanentCloudError(`no flavor on ${where(ctx)} has ${cpu} vCPU, ${ramMb} MB RAM and ${diskGb} GB disk`);
}

/** Empties the cache (tests). */
export function clearFlavorCache(): void {
  cache.clear();
}
