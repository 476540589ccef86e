/**
 * Instance types are service offerings. A node's `instanceType` may be an
 * offering's id or its name; without one, the smallest offering that fits the
 * asked cpu and RAM is taken.
 */
import { PermanentCloudError } from '#connectors/errors';
import type { CloudStackContext } from './context';
import { cached } from './lookup-cache';
import { listAll } from './paging';

export interface CloudStackOffering {
  id: string | number;
  name: string;
  cpunumber?: number;
  memory?: number;
}

/** Offerings can be scoped to an account's domain, so the list is cached per credential. */
export function listOfferings(ctx: CloudStackContext, fresh = false): Promise<CloudStackOffering[]> {
  const load = () => listAll<CloudStackOffering>(ctx.api, 'listServiceOfferings', 'serviceoffering', {}, ctx.tuning.pageSize);
  return fresh ? load() : cached(`${ctx.cloudKey}|offerings|${ctx.credentialId}`, load);
}

export interface SizeRequest {
  instanceType?: string;
  cpu?: number;
  ramMb?: number;
}

/**
 * The offering id for a node's size.
 * @throws PermanentCloudError when nothing matches, naming what was asked and what exists.
 */
export async function resolveOfferingId(ctx: CloudStackContext, size: SizeRequest): Promise<string> {
  const offerings = await listOfferings(ctx);
  const known =
    offerings
      .slice(0, 10)
      .map((o) => o.name)
      .join(', ') || 'none';
  const { instanceType, cpu = 0, ramMb = 0 } = size;
  if (instanceType !== undefined) {
    const wanted = instanceType.toLowerCase();
    const offering =
      offerings.find((o) => String(o.id) === instanceType) ??
      offerings.find((o) => o.name === instanceType) ??
      offerings.find((o) => o.name.toLowerCase() === wanted);
    if (!offering)
      throw new PermanentCloudError(`instance type ${instanceType} matches no service offering on cloudstack connector ${ctx.connector} (offerings: ${known})`);
    return String(offering.id);
  }
  if (cpu === 0 && ramMb === 0) {
    throw new PermanentCloudError(`cloudstack connector ${ctx.connector} needs an instanceType (a service offering name or id, e.g. one of: ${known})`);
  }
  const fitting = offerings
    .filter((o) => (o.cpunumber ?? 0) >= cpu && (o.memory ?? 0) >= ramMb)
    .sort((a, b) => (a.memory ?? 0) - (b.memory ?? 0) || (a.cpunumber ?? 0) - (b.cpunumber ?? 0));
  if (!fitting[0])
    throw new PermanentCloudError(`no service offering on cloudstack connector ${ctx.connector} has ${cpu} CPU and ${ramMb} MB RAM (offerings: ${known})`);
  return String(fitting[0].id);
}
