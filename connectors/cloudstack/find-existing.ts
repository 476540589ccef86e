/**
 * The first half of an idempotent create: the VM already made for a tag, if any.
 * First by the tag; then by the VM's unique name, which catches a create whose
 * response was lost before its tags were written (those are written again here).
 * A VM left in `Error` by a failed deploy is discarded, so the create can try anew.
 */
import type { CloudInstance, InstanceTag } from '#connectors/contract';
import { waitForJob } from './async-job';
import type { CloudStackContext } from './context';
import { listVms } from './list-vms';
import { submitTags } from './tagging';
import { discardVm } from './terminate-instance';
import { vmName } from './vm-name';
import { toCloudInstance } from './vm';

/** Short: tagging is quick, and a tag still pending shows up by the next boot poll. */
const TAG_WAIT_MS = 10_000;

/** The live VM made for `tag`, or undefined when a new one must be made. */
export async function findExisting(ctx: CloudStackContext, tag: InstanceTag): Promise<CloudInstance | undefined> {
  const tagged = (await listVms(ctx, { run: tag.run }))
    .map(toCloudInstance)
    .find((vm) => vm.tag?.node === tag.node && vm.tag.index === tag.index && vm.state !== 'terminated');
  if (tagged) return keepOrDiscard(ctx, tagged);

  const named = (await listVms(ctx, { name: vmName(tag) })).map(toCloudInstance).find((vm) => vm.state !== 'terminated');
  if (!named) return undefined;
  if (!named.tag) await waitForJob(ctx, await submitTags(ctx, named.cloudId, tag), 'createTags', TAG_WAIT_MS);
  return keepOrDiscard(ctx, { ...named, tag });
}

async function keepOrDiscard(ctx: CloudStackContext, vm: CloudInstance): Promise<CloudInstance | undefined> {
  if (vm.state !== 'error') return vm;
  await discardVm(ctx, vm.cloudId);
  return undefined;
}
