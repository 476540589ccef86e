/**
 * The fake's VM methods: one.vm.allocate, one.vm.info, one.vm.action and the two
 * pool calls, with oned's argument conventions (pool filter, offset paging with
 * end < -1, state filter) and its failure shapes (NO_EXISTS, ACTION, quota).
 */
import { XMLParser } from 'fast-xml-parser';
import type { FakeCatalogue } from './catalogue';
import { renderVm, vmPoolXml, vmXml, fakeVmState, STATE, LCM, type FakeTimings, type FakeVm } from './fake-vm';
import { failureResponse, successResponse, type FakeArg } from './rpc-codec';

export const ERROR = {
  authentication: 0x100,
  authorization: 0x200,
  noExists: 0x400,
  action: 0x800,
  rpcApi: 0x1000,
  internal: 0x2000,
  allocate: 0x4000,
} as const;

/** Attributes oned keeps in the VM TEMPLATE; any other goes to USER_TEMPLATE. */
const SYSTEM_ATTRIBUTES = new Set(['NAME', 'CPU', 'VCPU', 'MEMORY', 'DISK', 'NIC', 'CONTEXT', 'OS', 'GRAPHICS']);

const templateParser = new XMLParser({
  parseTagValue: false,
  trimValues: true,
});

/** An image saved from a VM disk (one.vm.disksaveas). */
export interface FakeImage {
  id: number;
  uid: number;
  uname: string;
  name: string;
  createdAtMs: number;
  vmId: number;
}

export interface VmWorld {
  vms: FakeVm[];
  /** Images the user saved from VM disks (the catalogue's stay apart). */
  images: FakeImage[];
  catalogue: FakeCatalogue;
  timings: FakeTimings;
  user: { uid: number; name: string };
  /** VMs (not DONE) the account may hold; beyond it allocate fails on quota. */
  quotaVms?: number;
  nextId: number;
  now(): number;
}

const notFound = (method: string, id: number) => failureResponse(`[${method}] Error getting virtual machine [${id}].`, ERROR.noExists, id);
const live = (world: VmWorld) => world.vms.filter((vm) => vm.terminatedAtMs === undefined);

export function allocate(world: VmWorld, [template]: FakeArg[]): string {
  const parsed = templateParser.parse(String(template)) as {
    TEMPLATE?: Record<string, unknown>;
  };
  const t = parsed.TEMPLATE;
  if (!t) return failureResponse('[one.vm.allocate] Parse error: the template is not <TEMPLATE> XML', ERROR.rpcApi);
  const disk = (t.DISK ?? {}) as Record<string, string>;
  const imageId = Number(disk.IMAGE_ID);
  const saved = world.images.find((i) => i.id === imageId);
  const ready = saved !== undefined && world.now() >= saved.createdAtMs + world.timings.saveMs;
  if (!world.catalogue.images.some((i) => i.id === imageId) && !ready)
    return failureResponse(`[one.vm.allocate] Error getting image [${disk.IMAGE_ID}].`, ERROR.noExists, Number.isNaN(imageId) ? -1 : imageId);
  const nicAsked = t.NIC as Record<string, string> | undefined;
  const network = nicAsked ? world.catalogue.networks.find((n) => n.id === Number(nicAsked.NETWORK_ID)) : undefined;
  if (nicAsked && !network) return failureResponse(`[one.vm.allocate] Error getting virtual network [${nicAsked.NETWORK_ID}].`, ERROR.noExists);
  if (world.quotaVms !== undefined && live(world).length >= world.quotaVms) {
    return failureResponse(`[one.vm.allocate] User [${world.user.uid}] : limit of ${world.quotaVms} reached for VMS quota.`, ERROR.authorization);
  }
  const id = world.nextId++;
  const userTemplate = Object.fromEntries(Object.entries(t).filter(([k, v]) => !SYSTEM_ATTRIBUTES.has(k) && typeof v === 'string')) as Record<string, string>;
  world.vms.push({
    id,
    uid: world.user.uid,
    uname: world.user.name,
    name: String(t.NAME ?? `one-${id}`),
    createdAtMs: world.now(),
    cpu: String(t.CPU ?? '1'),
    vcpu: String(t.VCPU ?? '1'),
    memory: String(t.MEMORY ?? '128'),
    imageId,
    nic: network
      ? {
          networkId: network.id,
          ip: `${network.prefix}${10 + id}`,
          mac: `02:00:0a:00:00:${(10 + id).toString(16).padStart(2, '0')}`,
        }
      : undefined,
    context: (t.CONTEXT ?? {}) as Record<string, string>,
    userTemplate,
  });
  return successResponse(id);
}

export function info(world: VmWorld, [id]: FakeArg[]): string {
  const vm = world.vms.find((v) => v.id === Number(id));
  if (!vm) return notFound('one.vm.info', Number(id));
  return successResponse(vmXml(renderVm(vm, world.timings, world.now(), true)));
}

/**
 * terminate(-hard): allowed when PENDING, RUNNING or POWEROFF (oned refuses PROLOG/BOOT with ACTION); the fake's VM is
 * DONE at once. poweroff: allowed when RUNNING; SHUTDOWN_POWEROFF for `poweroffMs`, then POWEROFF.
 */
export function action(world: VmWorld, [name, id]: FakeArg[]): string {
  const vm = world.vms.find((v) => v.id === Number(id));
  if (!vm) return notFound('one.vm.action', Number(id));
  const { state, lcm } = fakeVmState(vm, world.timings, world.now());
  const running = state === STATE.active && lcm === LCM.running;
  const refused = () =>
    failureResponse(`[one.vm.action] Error performing action "${String(name)}": This action is not available for state ${state}/${lcm}`, ERROR.action, vm.id);
  if (name === 'poweroff') {
    if (!running) return refused();
    vm.poweroffAtMs = world.now();
    return successResponse(vm.id);
  }
  if (name !== 'terminate-hard' && name !== 'terminate') return failureResponse(`[one.vm.action] Action "${name}" is not supported by the fake`, ERROR.rpcApi);
  if (state !== STATE.pending && state !== STATE.poweroff && !running) return refused();
  vm.terminatedAtMs = world.now();
  return successResponse(vm.id);
}

/** one.vmpool.info / infoextended(filter, start, end, state): -3 mine, -2 all; end < -1 pages by offset; state -1 hides DONE. */
export function pool(world: VmWorld, [filter, start, end, stateFilter]: FakeArg[], full: boolean): string {
  const now = world.now();
  let vms = world.vms.filter((vm) => Number(filter) === -2 || vm.uid === world.user.uid);
  vms = vms.filter((vm) => {
    const { state } = fakeVmState(vm, world.timings, now);
    return Number(stateFilter) === -2 || (Number(stateFilter) === -1 ? state !== STATE.done : state === Number(stateFilter));
  });
  const [from, to] = [Number(start), Number(end)];
  if (to < -1) vms = vms.slice(from, from - to);
  else if (from >= 0 || to >= 0) vms = vms.filter((vm) => vm.id >= Math.max(from, 0) && (to === -1 || vm.id <= to));
  return successResponse(vmPoolXml(vms.map((vm) => renderVm(vm, world.timings, now, full))));
}
