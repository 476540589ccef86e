/**
 * terminateInstance, idempotent: `terminate-hard` (no graceful ACPI wait: the run
 * is being torn down). A VM oned no longer knows (NO_EXISTS) or that is DONE
 * already counts as terminated. oned refuses terminate while a VM is in PROLOG or
 * BOOT (ACTION): that stays a transient error, so the step retries once it runs.
 */
import { PermanentCloudError } from '#connectors/errors';
import type { OpennebulaContext } from './context';
import { ONE_ERROR_CODE, opennebulaCodeOf } from './rpc-errors';
import { parseVm } from './vm-xml';

async function isGone(ctx: OpennebulaContext, id: number): Promise<boolean> {
  try {
    return parseVm(String(await ctx.call('one.vm.info', [id]))).state === 'terminated';
  } catch (error) {
    if (opennebulaCodeOf(error) === ONE_ERROR_CODE.noExists) return true;
    throw error;
  }
}

export async function terminateOpennebulaInstance(ctx: OpennebulaContext, cloudId: string): Promise<void> {
  const id = Number(cloudId);
  if (!/^\d+$/.test(cloudId) || !Number.isSafeInteger(id)) throw new PermanentCloudError(`"${cloudId}" is not an OpenNebula VM id`);
  try {
    await ctx.call('one.vm.action', ['terminate-hard', id]);
  } catch (error) {
    const code = opennebulaCodeOf(error);
    if (code === ONE_ERROR_CODE.noExists) return;
    if (code === ONE_ERROR_CODE.action && (await isGone(ctx, id))) return;
    throw error;
  }
}
