/**
 * Brings a VM to `Stopped` before its root volume becomes a template: CloudStack's
 * createTemplate wants the VM stopped ("The virtual machine must be in a STOPPED
 * state", API reference). Idempotent: a stopped VM is left alone, one already
 * stopping is waited for (through the job shown inline on it), and only a running
 * one is asked to stop. The wait is bounded; a VM still stopping then is a
 * NotReadyYetError, and the retry picks up from its state.
 */
import { NotReadyYetError, PermanentCloudError } from '#connectors/errors';
import { waitForJob } from './async-job';
import type { CloudStackContext } from './context';
import { findVmById } from './list-vms';
import { mapState, type CloudStackVm } from './vm';

/**
 * The VM, stopped.
 * @throws PermanentCloudError when the VM is gone or in Error; NotReadyYetError while it starts or is still stopping.
 */
export async function ensureStopped(ctx: CloudStackContext, vmId: string): Promise<CloudStackVm> {
  const vm = usable(ctx, vmId, await findVmById(ctx, vmId));
  const state = mapState(vm.state);
  if (state === 'stopped') return vm;
  if (state === 'pending') throw new NotReadyYetError(`VM ${vmId} on ${where(ctx)} is still ${vm.state}: it can be stopped and imaged once it runs`);
  const jobId = state === 'stopping' ? vm.jobid : (await ctx.api.call('stopVirtualMachine', { id: vmId }, { write: true })).jobid;
  if (jobId !== undefined) await waitForJob(ctx, String(jobId), 'stopVirtualMachine', ctx.tuning.stopWaitMs);
  const after = usable(ctx, vmId, await findVmById(ctx, vmId));
  if (mapState(after.state) === 'stopped') return after;
  throw new NotReadyYetError(`VM ${vmId} on ${where(ctx)} is still ${after.state ?? 'stopping'}: its image is made once it is stopped`);
}

function usable(ctx: CloudStackContext, vmId: string, vm: CloudStackVm | undefined): CloudStackVm {
  const state = mapState(vm?.state);
  if (!vm || state === 'terminated') throw new PermanentCloudError(`VM ${vmId} does not exist on ${where(ctx)} (or is destroyed): there is nothing to image`);
  if (state === 'error') throw new PermanentCloudError(`VM ${vmId} on ${where(ctx)} is in state ${vm.state ?? 'Unknown'}: it cannot be imaged`);
  return vm;
}

const where = (ctx: CloudStackContext) => `cloudstack connector ${ctx.connector}`;
