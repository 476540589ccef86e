/**
 * A fake VM, modelled on fixtures/opennebula/vm.xml and the current full/short
 * bodies: its STATE/LCM_STATE follow from timestamps (PENDING → ACTIVE/PROLOG →
 * ACTIVE/BOOT → ACTIVE/RUNNING; DONE once terminated), so every read sees what
 * oned would at that moment without anything running in the background.
 */
import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({});

export interface FakeVm {
  id: number;
  uid: number;
  uname: string;
  name: string;
  createdAtMs: number;
  cpu: string;
  vcpu: string;
  memory: string;
  imageId: number;
  /** The NIC's lease, when the template asked for a network. */
  nic?: { networkId: number; ip: string; mac: string };
  context: Record<string, string>;
  /** Attributes oned does not know: they make the USER_TEMPLATE. */
  userTemplate: Record<string, string>;
  /** When `poweroff` was asked: SHUTDOWN_POWEROFF for `poweroffMs`, then POWEROFF. */
  poweroffAtMs?: number;
  terminatedAtMs?: number;
}

/** How long each boot phase lasts in the fake. */
export interface FakeTimings {
  pendingMs: number;
  prologMs: number;
  bootMs: number;
  /** How long a `poweroff` keeps the VM in SHUTDOWN_POWEROFF. */
  poweroffMs: number;
  /** How long a disk-saveas image stays LOCKED (oned copying the disk) before it is READY. */
  saveMs: number;
}

export const STATE = { pending: 1, active: 3, done: 6, poweroff: 8 } as const;
export const LCM = { init: 0, prolog: 1, boot: 2, running: 3, shutdownPoweroff: 18 } as const;

/** STATE and LCM_STATE of a VM at `nowMs`. */
export function fakeVmState(vm: FakeVm, timings: FakeTimings, nowMs: number): { state: number; lcm: number } {
  if (vm.terminatedAtMs !== undefined) return { state: STATE.done, lcm: LCM.init };
  if (vm.poweroffAtMs !== undefined) {
    return nowMs < vm.poweroffAtMs + timings.poweroffMs ? { state: STATE.active, lcm: LCM.shutdownPoweroff } : { state: STATE.poweroff, lcm: LCM.init };
  }
  const age = nowMs - vm.createdAtMs;
  if (age < timings.pendingMs) return { state: STATE.pending, lcm: LCM.init };
  if (age < timings.pendingMs + timings.prologMs) return { state: STATE.active, lcm: LCM.prolog };
  if (age < timings.pendingMs + timings.prologMs + timings.bootMs) return { state: STATE.active, lcm: LCM.boot };
  return { state: STATE.active, lcm: LCM.running };
}

/**
 * The VM document. `full` is one.vm.info / one.vmpool.infoextended; the short body
 * of one.vmpool.info keeps only CPU, MEMORY, DISK, NIC in TEMPLATE and, as oned
 * since 5.12, a USER_TEMPLATE without custom attributes.
 */
export function renderVm(vm: FakeVm, timings: FakeTimings, nowMs: number, full: boolean): Record<string, unknown> {
  const { state, lcm } = fakeVmState(vm, timings, nowMs);
  const disk = { IMAGE_ID: vm.imageId, DISK_ID: 0 };
  const nic = vm.nic
    ? {
        IP: vm.nic.ip,
        MAC: vm.nic.mac,
        NETWORK_ID: vm.nic.networkId,
        NIC_ID: 0,
      }
    : undefined;
  const template = full
    ? {
        CONTEXT: vm.context,
        CPU: vm.cpu,
        DISK: disk,
        MEMORY: vm.memory,
        ...(nic ? { NIC: nic } : {}),
        VCPU: vm.vcpu,
        VMID: vm.id,
      }
    : {
        CPU: vm.cpu,
        MEMORY: vm.memory,
        DISK: disk,
        ...(nic ? { NIC: nic } : {}),
      };
  return {
    ID: vm.id,
    UID: vm.uid,
    GID: 1,
    UNAME: vm.uname,
    GNAME: 'users',
    NAME: vm.name,
    LAST_POLL: Math.floor(nowMs / 1000),
    STATE: state,
    LCM_STATE: lcm,
    RESCHED: 0,
    STIME: Math.floor(vm.createdAtMs / 1000),
    ETIME: vm.terminatedAtMs === undefined ? 0 : Math.floor(vm.terminatedAtMs / 1000),
    DEPLOY_ID: state === STATE.active ? `one-${vm.id}` : '',
    TEMPLATE: template,
    USER_TEMPLATE: full ? vm.userTemplate : {},
    HISTORY_RECORDS: '',
  };
}

/** XML text of one VM, or of a pool of them. */
export function vmXml(vm: Record<string, unknown>): string {
  return builder.build({ VM: vm });
}

export function vmPoolXml(vms: Record<string, unknown>[]): string {
  return vms.length === 0 ? '<VM_POOL/>' : builder.build({ VM_POOL: { VM: vms } });
}
