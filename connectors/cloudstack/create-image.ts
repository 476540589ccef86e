/**
 * createImage, idempotent: the account's template with the build's name is looked
 * for FIRST; otherwise the VM is stopped (createTemplate wants it stopped), its ROOT
 * volume found (`listVolumes`), its OS type read (the VM's `guestosid`, else its
 * template's `ostypeid`), and `createTemplate` submitted. Being a "create" command,
 * it answers the template id at once with its job id; the job goes on making the
 * template, which `imageState` follows through `listTemplates`.
 */
import type { CreateImageRequest } from '#connectors/contract';
import { PermanentCloudError, TransientCloudError } from '#connectors/errors';
import type { CloudStackContext } from './context';
import { listAll } from './paging';
import { ensureStopped } from './stop-vm';
import { findTemplateById, findTemplateByName } from './templates';
import type { CloudStackVm } from './vm';

interface CloudStackVolume {
  id: string | number;
  type?: string;
}

/**
 * Answers the template made for the build, making it when there is none.
 * @throws PermanentCloudError when the VM is gone, has no ROOT volume or no known OS type;
 *   NotReadyYetError while it starts or stops; classified errors of the calls.
 */
export async function createCloudStackImage(ctx: CloudStackContext, request: CreateImageRequest): Promise<{ imageId: string }> {
  const made = await findTemplateByName(ctx, request.name);
  if (made) return { imageId: String(made.id) };

  const vm = await ensureStopped(ctx, request.cloudId);
  const [volumeid, ostypeid] = await Promise.all([rootVolumeId(ctx, request.cloudId), osTypeOf(ctx, vm)]);
  const reply = await ctx.api.call(
    'createTemplate',
    { name: request.name, displaytext: `Slipway image ${request.tag.image}, build ${request.tag.build}`, ostypeid, volumeid },
    { write: true },
  );
  if (reply.id === undefined) {
    // The template may exist all the same: the retry finds it by name.
    throw new TransientCloudError(`cloudstack connector ${ctx.connector}: createTemplate answered without a template id`);
  }
  return { imageId: String(reply.id) };
}

async function rootVolumeId(ctx: CloudStackContext, vmId: string): Promise<string> {
  const volumes = await listAll<CloudStackVolume>(ctx.api, 'listVolumes', 'volume', { virtualmachineid: vmId, type: 'ROOT' }, ctx.tuning.pageSize);
  const root = volumes.find((volume) => volume.type === undefined || volume.type === 'ROOT');
  if (!root) throw new PermanentCloudError(`VM ${vmId} on cloudstack connector ${ctx.connector} has no ROOT volume to make a template of`);
  return String(root.id);
}

/** The VM's OS type; older clouds leave `guestosid` out of the VM, so its template is asked then. */
async function osTypeOf(ctx: CloudStackContext, vm: CloudStackVm): Promise<string> {
  if (vm.guestosid !== undefined && vm.guestosid !== '') return String(vm.guestosid);
  const template = vm.templateid === undefined ? undefined : (await findTemplateById(ctx, String(vm.templateid), 'executable'))[0];
  if (template?.ostypeid !== undefined && template.ostypeid !== '') return String(template.ostypeid);
  throw new PermanentCloudError(`cannot tell the OS type of VM ${vm.id} on cloudstack connector ${ctx.connector} (createTemplate needs one)`);
}
