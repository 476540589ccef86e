/**
 * Writes Slipway's tag (run, node, index; names from commons/tag.ts) on a VM with
 * `createTags`. CloudStack's `deployVirtualMachine` takes no tags, so this follows
 * the deploy at once; until it lands, the VM is found by its unique name.
 */
import type { InstanceTag } from '#connectors/contract';
import { tagPairs } from '#connectors/commons/tag';
import type { CloudStackContext } from './context';

/** Submits the tags of `vmId` (an async job); answers the job id. */
export async function submitTags(ctx: CloudStackContext, vmId: string, tag: InstanceTag): Promise<string> {
  const params: Record<string, string> = { resourceids: vmId, resourcetype: 'UserVm' };
  Object.entries(tagPairs(tag)).forEach(([key, value], i) => {
    params[`tags[${i}].key`] = key;
    params[`tags[${i}].value`] = value;
  });
  const reply = await ctx.api.call('createTags', params, { write: true });
  return String(reply.jobid);
}
