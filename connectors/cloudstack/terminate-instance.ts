/**
 * Idempotent terminate: `destroyVirtualMachine` with `expunge=true`, so nothing
 * recoverable is left behind (and no quota held). A VM the cloud no longer
 * knows, or already destroyed, is a success.
 */
import { isCloudError } from '#connectors/errors';
import { waitForJob } from './async-job';
import type { CloudStackContext } from './context';
import { findVmById } from './list-vms';
import { mapState } from './vm';

/** Destroys and expunges `cloudId`, waiting (bounded) for the job to end. */
export async function terminateCloudStackInstance(ctx: CloudStackContext, cloudId: string): Promise<void> {
  const jobId = await submitDestroy(ctx, cloudId);
  if (jobId) await waitForJob(ctx, jobId, 'destroyVirtualMachine', ctx.tuning.destroyWaitMs);
}

/** The destroy job's id; undefined when there is nothing left to destroy. */
async function submitDestroy(ctx: CloudStackContext, cloudId: string): Promise<string | undefined> {
  try {
    return await destroy(ctx, cloudId, true);
  } catch (error) {
    if (!isCloudError(error) || error.retryable) throw error;
    // A refusal may just mean the VM is gone (431 for an unknown id) or going: ask the cloud.
    const vm = await findVmById(ctx, cloudId);
    if (!vm || mapState(vm.state) === 'terminated') return undefined;
    // Expunging is an operator opt-in for non-admins (allow.user.expunge.recover.vm): destroy without it then.
    if (/expunge/i.test(error.message)) return destroy(ctx, cloudId, false);
    throw error;
  }
}

async function destroy(ctx: CloudStackContext, cloudId: string, expunge: boolean): Promise<string> {
  const reply = await ctx.api.call('destroyVirtualMachine', { id: cloudId, ...(expunge ? { expunge: 'true' } : {}) }, { write: true });
  return String(reply.jobid);
}

/** Best effort, for a VM a failed create leaves behind: the create's own error matters more than this one. */
export async function discardVm(ctx: CloudStackContext, cloudId: string): Promise<void> {
  await terminateCloudStackInstance(ctx, cloudId).catch(() => undefined);
}
