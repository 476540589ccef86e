/**
 * Native images built by disk-saveas: createImage (idempotent: the credential's
 * image with the build's name is looked for FIRST, and again when oned says the
 * name is taken), their state (`one.image.info`) and their deletion
 * (`one.image.delete`). OpenNebula image names are unique per owner, which makes
 * the name the key.
 */
import type { CreateImageRequest, ImageState } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';
import type { OpennebulaContext } from './context';
import { opennebulaImageState, parseImage } from './image-xml';
import { ensurePoweredOff } from './poweroff';
import { ONE_ERROR_CODE, opennebulaCodeOf, opennebulaMessageOf } from './rpc-errors';
import { poolItems, textOf } from './vm-xml';

/** Pool filter -3: the credential's own images; (-1, -1): the whole id range. */
const MINE = [-3, -1, -1] as const;
/** The VM's first disk, the one it boots from. */
const BOOT_DISK = 0;
/** No disk snapshot: save the disk as it is now. */
const CURRENT_STATE = -1;
/** An empty type: oned keeps the type of the disk's own image. */
const SAME_TYPE = '';

const NAME_TAKEN = /already taken|already exists/i;

/** A VM or image id as oned takes it: a non-negative integer. */
function oneId(text: string): number | undefined {
  const id = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(id) ? id : undefined;
}

async function findOwnImage(ctx: OpennebulaContext, name: string): Promise<string | undefined> {
  const images = poolItems(String(await ctx.call('one.imagepool.info', [...MINE])), 'IMAGE_POOL', 'IMAGE');
  const found = images.find((image) => textOf(image, 'NAME') === name);
  return found ? textOf(found, 'ID') : undefined;
}

/**
 * Answers the image made for the build: powers the VM off and saves its boot disk
 * (`one.vm.disksaveas(vm, 0, name, '', -1)`) when there is none yet.
 * @throws PermanentCloudError when the VM is gone or failed; NotReadyYetError while it boots or powers off.
 */
export async function createOpennebulaImage(ctx: OpennebulaContext, request: CreateImageRequest): Promise<{ imageId: string }> {
  const made = await findOwnImage(ctx, request.name);
  if (made) return { imageId: made };
  const vmId = oneId(request.cloudId);
  if (vmId === undefined) throw new PermanentCloudError(`"${request.cloudId}" is not an OpenNebula VM id`);
  await ensurePoweredOff(ctx, vmId);
  try {
    return { imageId: String(await ctx.call('one.vm.disksaveas', [vmId, BOOT_DISK, request.name, SAME_TYPE, CURRENT_STATE])) };
  } catch (error) {
    if (NAME_TAKEN.test(opennebulaMessageOf(error))) {
      const found = await findOwnImage(ctx, request.name);
      if (found) return { imageId: found };
    }
    if (opennebulaCodeOf(error) === ONE_ERROR_CODE.noExists) {
      throw new PermanentCloudError(`VM ${vmId} (or its disk ${BOOT_DISK}) does not exist on opennebula connector ${ctx.connectorName}`, { cause: error });
    }
    throw error;
  }
}

/** Where image `imageId` stands; one oned does not know (NO_EXISTS) is gone. */
export async function opennebulaImageStateOf(ctx: OpennebulaContext, imageId: string): Promise<ImageState> {
  const id = oneId(imageId);
  if (id === undefined) return { state: 'gone', rawState: 'absent', reason: `"${imageId}" is not an OpenNebula image id` };
  try {
    return opennebulaImageState(parseImage(String(await ctx.call('one.image.info', [id]))));
  } catch (error) {
    if (opennebulaCodeOf(error) === ONE_ERROR_CODE.noExists) return { state: 'gone', rawState: 'absent', reason: 'oned does not know the image' };
    throw error;
  }
}

/** Idempotent: an image oned no longer knows is deleted. oned refuses a LOCKED image (ACTION, transient): the retry deletes it once unlocked. */
export async function deleteOpennebulaImage(ctx: OpennebulaContext, imageId: string): Promise<void> {
  const id = oneId(imageId);
  if (id === undefined) return;
  try {
    await ctx.call('one.image.delete', [id]);
  } catch (error) {
    if (opennebulaCodeOf(error) !== ONE_ERROR_CODE.noExists) throw error;
  }
}
