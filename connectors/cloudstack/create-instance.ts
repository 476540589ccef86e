/**
 * Idempotent create: look for the VM made for the tag FIRST; otherwise
 * `deployVirtualMachine` (zone and offering resolved, boot script as base64
 * user data, a name unique per run), which answers the VM id and the job id at
 * once; tag the VM right away; then wait a bounded time for the job. A job still
 * running returns the VM as pending (the boot loop follows it); a failed job
 * discards the VM it leaves in `Error` and throws the job's classified error.
 */
import type { CloudInstance, CreateInstanceRequest } from '#connectors/contract';
import { renderUserDataBase64 } from '#connectors/commons/user-data';
import { TransientCloudError, isCloudError } from '#connectors/errors';
import type { FailureContext } from './api-errors';
import { waitForJob } from './async-job';
import type { CloudStackContext } from './context';
import { findExisting } from './find-existing';
import { findVmById } from './list-vms';
import { resolveOfferingId } from './offerings';
import { securityGroupParams } from './settings';
import { submitTags } from './tagging';
import { discardVm } from './terminate-instance';
import { vmName } from './vm-name';
import { asVm, toCloudInstance } from './vm';
import { resolveZoneId } from './zones';

/** Tagging is quick; by the time the deploy job ends it has usually ended too. */
const TAG_WAIT_MS = 10_000;

export async function createCloudStackInstance(ctx: CloudStackContext, request: CreateInstanceRequest): Promise<CloudInstance> {
  const existing = await findExisting(ctx, request.tag);
  if (existing) return existing;

  const zoneid = await resolveZoneId(ctx);
  const serviceofferingid = await resolveOfferingId(ctx, request);
  const about: Partial<FailureContext> = { imageId: request.imageId, zone: ctx.zone ?? zoneid, offering: request.instanceType ?? serviceofferingid };
  const params: Record<string, string> = {
    zoneid,
    templateid: request.imageId,
    serviceofferingid,
    name: vmName(request.tag),
    displayname: request.name,
    userdata: renderUserDataBase64(request.name, request.boot),
    ...(ctx.settings.networkIds ? { networkids: ctx.settings.networkIds.join(',') } : {}),
    ...(ctx.settings.keyPair ? { keypair: ctx.settings.keyPair } : {}),
    ...securityGroupParams(ctx.settings),
  };
  const deployed = await ctx.api.call('deployVirtualMachine', params, { write: true, about });
  if (deployed.id === undefined || deployed.jobid === undefined) {
    // Nothing to follow: the retry finds the VM by name if the cloud made one.
    throw new TransientCloudError(`cloudstack connector ${ctx.connector}: deployVirtualMachine answered without a VM id or job id`);
  }
  const vmId = String(deployed.id);
  // Until tagged, only the name finds this VM: a retry after a transient failure re-tags it.
  const tagJob = await discardOnFailure(ctx, vmId, submitTags(ctx, vmId, request.tag), false);
  const outcome = await discardOnFailure(ctx, vmId, waitForJob(ctx, String(deployed.jobid), 'deployVirtualMachine', ctx.tuning.deployWaitMs, about), true);
  await discardOnFailure(ctx, vmId, waitForJob(ctx, tagJob, 'createTags', TAG_WAIT_MS), false);

  const vm = outcome.done ? asVm(outcome.result.virtualmachine) : await findVmById(ctx, vmId);
  const seen = vm ? toCloudInstance(vm) : { cloudId: vmId, state: 'pending' as const, rawState: 'Starting' };
  return { ...seen, cloudId: vmId, tag: request.tag };
}

/**
 * Runs `step`; when it fails, destroys the VM first (a failed deploy job always,
 * otherwise only on a permanent failure, which no retry would repair) and rethrows.
 */
async function discardOnFailure<T>(ctx: CloudStackContext, vmId: string, step: Promise<T>, always: boolean): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (always || !isCloudError(error) || !error.retryable) await discardVm(ctx, vmId);
    throw error;
  }
}
