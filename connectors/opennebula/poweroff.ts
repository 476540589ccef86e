/**
 * Powers a VM off before its disk is saved as an image, as SlipStream's own
 * OpenNebula connector did (poweroff, wait for POWEROFF, then disk-saveas): the
 * guest shuts down cleanly, so the image holds a consistent disk. Idempotent: a
 * VM already off (POWEROFF, or STOPPED/SUSPENDED/UNDEPLOYED, from which oned also
 * saves disks) is left alone, one powering off is waited for, only a running one
 * gets `poweroff`. The wait is bounded; a VM still going down then is a
 * NotReadyYetError, and the retry picks up from its state.
 */
import type { CloudInstance } from '#connectors/contract';
import { NotReadyYetError, PermanentCloudError } from '#connectors/errors';
import type { OpennebulaContext } from './context';
import { ONE_ERROR_CODE, opennebulaCodeOf } from './rpc-errors';
import { parseVm } from './vm-xml';

async function vmInfo(ctx: OpennebulaContext, id: number): Promise<CloudInstance | undefined> {
  try {
    return parseVm(String(await ctx.call('one.vm.info', [id])));
  } catch (error) {
    if (opennebulaCodeOf(error) === ONE_ERROR_CODE.noExists) return undefined;
    throw error;
  }
}

/**
 * Resolves once VM `id` is off.
 * @throws PermanentCloudError when it is gone (DONE) or failed; NotReadyYetError while it boots or is still powering off.
 */
export async function ensurePoweredOff(ctx: OpennebulaContext, id: number): Promise<void> {
  let vm = usable(ctx, id, await vmInfo(ctx, id));
  if (vm.state === 'stopped') return;
  if (vm.state === 'pending')
    throw new NotReadyYetError(`VM ${id} on opennebula connector ${ctx.connectorName} is still ${vm.rawState}: it can be imaged once it runs`);
  if (vm.state === 'running') await ctx.call('one.vm.action', ['poweroff', id]);
  const deadline = Date.now() + ctx.tuning.stopWaitMs;
  for (;;) {
    vm = usable(ctx, id, await vmInfo(ctx, id));
    if (vm.state === 'stopped') return;
    if (Date.now() + ctx.tuning.pollMs > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, ctx.tuning.pollMs));
  }
  throw new NotReadyYetError(`VM ${id} on opennebula connector ${ctx.connectorName} is still ${vm.rawState}: its image is made once it is powered off`);
}

function usable(ctx: OpennebulaContext, id: number, vm: CloudInstance | undefined): CloudInstance {
  if (!vm || vm.state === 'terminated') {
    throw new PermanentCloudError(`VM ${id} does not exist on opennebula connector ${ctx.connectorName} (or is DONE): there is nothing to image`);
  }
  if (vm.state === 'error') throw new PermanentCloudError(`VM ${id} on opennebula connector ${ctx.connectorName} is ${vm.rawState}: it cannot be imaged`);
  return vm;
}
