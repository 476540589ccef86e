/** Nova availability zones (`GET /os-availability-zone`), the available ones only. */
import type { OpenstackContext } from './context';
import { jsonBody, serviceCall } from './service-call';

interface ZoneInfo {
  zoneName?: string;
  zoneState?: { available?: boolean };
}

export async function listZones(ctx: OpenstackContext): Promise<{ id: string; name: string }[]> {
  const response = await serviceCall(ctx, { service: 'compute', path: '/os-availability-zone' });
  const body = jsonBody<{ availabilityZoneInfo?: ZoneInfo[] }>(response, 'openstack GET /os-availability-zone');
  return (body.availabilityZoneInfo ?? [])
    .filter((zone): zone is ZoneInfo & { zoneName: string } => Boolean(zone.zoneName) && zone.zoneState?.available !== false)
    .map((zone) => ({ id: zone.zoneName, name: zone.zoneName }));
}
