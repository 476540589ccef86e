/**
 * The connector's zone, given by the admin as a name or an id, resolved to the id
 * every call needs through `listZones` (once per connector, then cached).
 */
import { PermanentCloudError } from '#connectors/errors';
import type { CloudStackContext } from './context';
import { cached } from './lookup-cache';
import { listAll } from './paging';

export interface CloudStackZone {
  id: string | number;
  name: string;
}

/** The zones this account may deploy to. */
export function listZoneObjects(ctx: CloudStackContext): Promise<CloudStackZone[]> {
  return listAll<CloudStackZone>(ctx.api, 'listZones', 'zone', { available: 'true' }, ctx.tuning.pageSize);
}

/**
 * The id of the configured zone: an exact id, else a name (case-insensitive);
 * without a configured zone, the account's only zone.
 * @throws PermanentCloudError naming the zone and the ones that exist.
 */
export function resolveZoneId(ctx: CloudStackContext): Promise<string> {
  return cached(`${ctx.cloudKey}|zone|${ctx.zone ?? ''}`, async () => {
    const zones = await listZoneObjects(ctx);
    const known = zones.map((z) => z.name).join(', ') || 'none';
    if (ctx.zone === undefined) {
      if (zones.length === 1) return String(zones[0]!.id);
      throw new PermanentCloudError(`cloudstack connector ${ctx.connector} names no zone and the cloud has ${zones.length} (${known}): set its zone`);
    }
    const wanted = ctx.zone;
    const zone = zones.find((z) => String(z.id) === wanted) ?? zones.find((z) => z.name.toLowerCase() === wanted.toLowerCase());
    if (!zone) throw new PermanentCloudError(`zone ${wanted} of cloudstack connector ${ctx.connector} is unknown to the cloud (zones: ${known})`);
    return String(zone.id);
  });
}
