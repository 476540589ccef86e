/**
 * The fake's image methods: one.vm.disksaveas (the VM's disk 0 saved as a new
 * image, LOCKED while oned copies it, then READY; the VM must be RUNNING or
 * POWEROFF; image names are unique per owner), one.image.info, one.image.delete
 * and one.imagepool.info over the catalogue and the user's saved images.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { fakeVmState, LCM, STATE } from './fake-vm';
import { failureResponse, successResponse, type FakeArg } from './rpc-codec';
import { ERROR, type FakeImage, type VmWorld } from './vm-methods';

const builder = new XMLBuilder({});

/** Image STATE numbers (include/Image.h). */
const IMAGE_STATE = { ready: 1, locked: 4 } as const;

const notFound = (method: string, id: number) => failureResponse(`[${method}] Error getting image [${id}].`, ERROR.noExists, id);

function renderImage(world: VmWorld, image: FakeImage): Record<string, unknown> {
  const locked = world.now() < image.createdAtMs + world.timings.saveMs;
  return {
    ID: image.id,
    UID: image.uid,
    GID: 1,
    UNAME: image.uname,
    GNAME: 'users',
    NAME: image.name,
    TYPE: 0,
    PERSISTENT: 0,
    REGTIME: Math.floor(image.createdAtMs / 1000),
    SOURCE: `/var/lib/one/datastores/1/${image.id}`,
    STATE: locked ? IMAGE_STATE.locked : IMAGE_STATE.ready,
    RUNNING_VMS: 0,
    DATASTORE_ID: 1,
    DATASTORE: 'default',
    TEMPLATE: { SAVED_VM_ID: image.vmId, SAVED_DISK_ID: 0, SAVED_IMAGE_ID: 0 },
  };
}

export function diskSaveAs(world: VmWorld, [vmId, diskId, name]: FakeArg[]): string {
  const vm = world.vms.find((v) => v.id === Number(vmId));
  if (!vm) return failureResponse(`[one.vm.disksaveas] Error getting virtual machine [${String(vmId)}].`, ERROR.noExists, Number(vmId));
  if (Number(diskId) !== 0) return failureResponse(`[one.vm.disksaveas] VM disk does not exist.`, ERROR.action, vm.id);
  const { state, lcm } = fakeVmState(vm, world.timings, world.now());
  if (state !== STATE.poweroff && !(state === STATE.active && lcm === LCM.running)) {
    return failureResponse(
      `[one.vm.disksaveas] Error performing action "disk-saveas": This action is not available for state ${state}/${lcm}`,
      ERROR.action,
      vm.id,
    );
  }
  const taken = world.images.find((i) => i.uid === world.user.uid && i.name === String(name));
  if (taken) return failureResponse(`[one.vm.disksaveas] Error allocating a new image. NAME is already taken by IMAGE ${taken.id}.`, ERROR.allocate, -1);
  const image: FakeImage = { id: world.nextId++, uid: world.user.uid, uname: world.user.name, name: String(name), createdAtMs: world.now(), vmId: vm.id };
  world.images.push(image);
  return successResponse(image.id);
}

export function imageInfo(world: VmWorld, [id]: FakeArg[]): string {
  const image = world.images.find((i) => i.id === Number(id));
  if (!image) return notFound('one.image.info', Number(id));
  return successResponse(builder.build({ IMAGE: renderImage(world, image) }));
}

export function imageDelete(world: VmWorld, [id]: FakeArg[]): string {
  const index = world.images.findIndex((i) => i.id === Number(id));
  if (index < 0) return notFound('one.image.delete', Number(id));
  world.images.splice(index, 1);
  return successResponse(Number(id));
}

/** one.imagepool.info(filter, start, end): -3 the user's own, -2 (and the rest) everything visible. */
export function imagePool(world: VmWorld, [filter]: FakeArg[]): string {
  const catalogue = world.catalogue.images.map((i) => ({ ID: i.id, UID: 0, UNAME: 'oneadmin', NAME: i.name, TYPE: 0, STATE: IMAGE_STATE.ready }));
  const own = world.images.map((image) => renderImage(world, image));
  const items = Number(filter) === -3 ? own : [...catalogue, ...own];
  return successResponse(items.length === 0 ? '<IMAGE_POOL/>' : builder.build({ IMAGE_POOL: { IMAGE: items } }));
}
