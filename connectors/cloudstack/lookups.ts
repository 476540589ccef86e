/** The look-ups an admin needs (`/connectors/{name}/images`, `/instance-types`, `/zones`), live from the cloud. */
import type { Connector } from '#connectors/contract';
import type { CloudStackContext } from './context';
import { listOfferings } from './offerings';
import { listAll } from './paging';
import { listZoneObjects, resolveZoneId } from './zones';

interface CloudStackTemplate {
  id: string | number;
  name: string;
}

/** Templates the account may deploy in the connector's zone; a template listed once per zone it is in counts once. */
export async function listImages(ctx: CloudStackContext): ReturnType<Connector['listImages']> {
  const params = { templatefilter: 'executable', zoneid: await resolveZoneId(ctx) };
  const templates = await listAll<CloudStackTemplate>(ctx.api, 'listTemplates', 'template', params, ctx.tuning.pageSize);
  const byId = new Map(templates.map((t) => [String(t.id), { id: String(t.id), name: t.name }]));
  return [...byId.values()];
}

export async function listInstanceTypes(ctx: CloudStackContext): ReturnType<Connector['listInstanceTypes']> {
  return (await listOfferings(ctx, true)).map((o) => ({
    id: String(o.id),
    name: o.name,
    ...(o.cpunumber === undefined ? {} : { cpu: o.cpunumber }),
    ...(o.memory === undefined ? {} : { ramMb: o.memory }),
  }));
}

export async function listZones(ctx: CloudStackContext): ReturnType<Connector['listZones']> {
  return (await listZoneObjects(ctx)).map((z) => ({ id: String(z.id), name: z.name }));
}
