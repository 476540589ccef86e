/**
 * createInstance, idempotent: OpenNebula has no client token, so the tagged VM
 * is looked for FIRST (a retry after a timed-out allocate finds the VM the first
 * attempt made), and only then is one allocated.
 */
import type { CloudInstance, CreateInstanceRequest, InstanceTag } from '#connectors/contract';
import { isCloudError, PermanentCloudError } from '#connectors/errors';
import { resolveCapacity } from './capacity';
import type { OpennebulaContext } from './context';
import { listTaggedVms } from './list-vms';
import { ONE_ERROR_CODE, opennebulaCodeOf, opennebulaMessageOf } from './rpc-errors';
import { buildVmTemplate } from './vm-template';

const sameTag = (a: InstanceTag | undefined, b: InstanceTag) => a !== undefined && a.run === b.run && a.node === b.node && a.index === b.index;

/** oned's words for a missing image, across releases (NO_EXISTS, or ALLOCATE/INTERNAL with the reason). */
const MISSING_IMAGE = /\bimage\b.*(does not exist|not exist|not found)|error getting image/i;

/** A failed allocate that is about the image becomes a permanent error naming it. */
function imageError(error: unknown, imageId: string, connectorName: string): PermanentCloudError | undefined {
  if (!isCloudError(error) || error.name === 'CloudQuotaExceededError') return undefined;
  const code = opennebulaCodeOf(error);
  const aboutImage =
    code === ONE_ERROR_CODE.noExists || (code !== ONE_ERROR_CODE.authentication && code !== undefined && MISSING_IMAGE.test(opennebulaMessageOf(error)));
  if (!aboutImage) return undefined;
  return new PermanentCloudError(`image ${imageId} does not exist on opennebula connector ${connectorName} (or this credential may not use it)`, {
    cause: error.cause,
  });
}

export async function createOpennebulaInstance(ctx: OpennebulaContext, request: CreateInstanceRequest): Promise<CloudInstance> {
  const existing = (await listTaggedVms(ctx.call, ctx.pool, { run: request.tag.run })).find((vm) => sameTag(vm.tag, request.tag));
  if (existing) return existing;

  const capacity = await resolveCapacity(ctx.call, request, ctx.connectorName);
  let id;
  try {
    id = await ctx.call('one.vm.allocate', [buildVmTemplate({ request, capacity, networkId: ctx.networkId }), false]);
  } catch (error) {
    throw imageError(error, request.imageId, ctx.connectorName) ?? error;
  }
  // oned answers allocate with the id alone; a new VM (not held) is PENDING until the scheduler places it.
  return {
    cloudId: String(id),
    tag: request.tag,
    state: 'pending',
    rawState: 'PENDING',
  };
}
