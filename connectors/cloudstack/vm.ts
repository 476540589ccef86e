/**
 * A CloudStack VM as `listVirtualMachines` and job results report it, read as a
 * generic `CloudInstance`: state mapped (raw state kept), address from the
 * default NIC, Slipway's tag read back from the VM's tags. Ids may be numbers
 * (older clouds) or UUID strings; both become strings.
 */
import type { CloudInstance } from '#connectors/contract';
import { readTag } from '#connectors/commons/tag';
import type { InstanceState } from '#functions/domain/run-states';

export interface CloudStackNic {
  ipaddress?: string;
  ip6address?: string;
  isdefault?: boolean;
}

/** The fields Slipway reads; a real VM has many more. */
export interface CloudStackVm {
  id: string | number;
  name?: string;
  state?: string;
  nic?: CloudStackNic[];
  tags?: { key?: string; value?: string }[];
  /** The template the VM was deployed from. */
  templateid?: string | number;
  /** The VM's OS type (what `createTemplate` needs as `ostypeid`); a number on older clouds. */
  guestosid?: string | number;
  /** A job running on the VM, shown inline while it runs. */
  jobid?: string | number;
}

/**
 * VirtualMachine.State (apache/cloudstack) plus Exoscale's `Moving`/`Shutdowned`.
 * `Destroyed` is still recoverable but gone for Slipway's purposes.
 */
const STATES: Record<string, InstanceState> = {
  Creating: 'pending',
  Starting: 'pending',
  Running: 'running',
  Migrating: 'running',
  Moving: 'running',
  Stopping: 'stopping',
  Stopped: 'stopped',
  Shutdown: 'stopped',
  Shutdowned: 'stopped',
  Destroyed: 'terminated',
  Expunging: 'terminated',
  Expunged: 'terminated',
  Error: 'error',
};

/** The generic state of a raw one; anything unknown is `error`, never a throw. */
export function mapState(raw: string | undefined): InstanceState {
  return (raw !== undefined && STATES[raw]) || 'error';
}

/** The default NIC's address (IPv4, else IPv6); else the first NIC that has one; a NIC without any is skipped. */
export function defaultIp(nics: CloudStackNic[] | undefined): string | undefined {
  const withAddress = (nics ?? []).filter((nic) => nic.ipaddress || nic.ip6address);
  const nic = withAddress.find((n) => n.isdefault) ?? withAddress[0];
  return nic?.ipaddress ?? nic?.ip6address;
}

export function toCloudInstance(vm: CloudStackVm): CloudInstance {
  const pairs = Object.fromEntries((vm.tags ?? []).flatMap((t) => (t.key === undefined ? [] : [[t.key, t.value]])));
  const rawState = vm.state ?? 'Unknown';
  const ip = defaultIp(vm.nic);
  const tag = readTag(pairs);
  return { cloudId: String(vm.id), ...(tag ? { tag } : {}), state: mapState(vm.state), rawState, ...(ip ? { ip } : {}) };
}

/** Reads a VM out of an untyped reply; undefined when there is no object with an id. */
export function asVm(value: unknown): CloudStackVm | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? (value as CloudStackVm) : undefined;
}
