/**
 * `listVirtualMachines` for the bulk refresh, the idempotent create and the
 * terminate check: narrowed server-side by Slipway's run tag, a name or an id,
 * and to the connector's zone, so VMs of other connectors on the same account
 * never look like this connector's (the monitor would call them orphans).
 */
import type { CloudInstance } from '#connectors/contract';
import { TAG_NAMES } from '#connectors/commons/tag';
import type { CloudStackContext } from './context';
import { listAll } from './paging';
import { resolveZoneId } from './zones';
import { toCloudInstance, type CloudStackVm } from './vm';

export interface VmFilter {
  run?: string;
  name?: string;
  id?: string;
}

/** The VMs matching `filter` in the connector's zone, raw. */
export async function listVms(ctx: CloudStackContext, filter: VmFilter = {}): Promise<CloudStackVm[]> {
  const params: Record<string, string> = { zoneid: await resolveZoneId(ctx) };
  if (filter.run !== undefined) Object.assign(params, { 'tags[0].key': TAG_NAMES.run, 'tags[0].value': filter.run });
  if (filter.name !== undefined) params.name = filter.name;
  if (filter.id !== undefined) params.id = filter.id;
  // A list by an id the cloud does not know answers 431: no such VM (egoscale reads it so too).
  const options = { missingIsEmpty: filter.id !== undefined };
  const vms = await listAll<CloudStackVm>(ctx.api, 'listVirtualMachines', 'virtualmachine', params, ctx.tuning.pageSize, options);
  // `name` is a substring match on some versions: keep exact matches only.
  return filter.name === undefined ? vms : vms.filter((vm) => vm.name === filter.name);
}

/**
 * The Slipway-tagged VMs of the account in this zone (of one run when asked). The
 * tag is checked again here: a server that ignored the tag filter must not hand
 * a run someone else's VMs.
 */
export async function listTaggedInstances(ctx: CloudStackContext, filter: { run?: string } = {}): Promise<CloudInstance[]> {
  const vms = await listVms(ctx, filter.run === undefined ? {} : { run: filter.run });
  return vms.map(toCloudInstance).filter((vm) => vm.tag !== undefined && (filter.run === undefined || vm.tag.run === filter.run));
}

/** One VM by id; undefined when the cloud no longer knows it. */
export async function findVmById(ctx: CloudStackContext, id: string): Promise<CloudStackVm | undefined> {
  return (await listVms(ctx, { id }))[0];
}
