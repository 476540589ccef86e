/**
 * The bulk list: the credential's own VMs (filter -3) that are not DONE (state
 * -1), page by page, matched to Slipway's tag client-side from USER_TEMPLATE.
 *
 * Since OpenNebula 5.12 `one.vmpool.info` answers a short VM body whose
 * USER_TEMPLATE keeps only LABELS, ERROR and SCHED_* — the tag is not in it
 * (VirtualMachineTemplate::to_xml_short) — so the list asks
 * `one.vmpool.infoextended`, which has the full body, and falls back to
 * `one.vmpool.info` (full bodies before 5.12) only when oned does not know the method.
 */
import type { CloudInstance } from '#connectors/contract';
import { FAULT_NO_SUCH_METHOD, OpennebulaRpcError } from './rpc-errors';
import type { RpcCall } from './rpc-client';
import { parseVmPool } from './vm-xml';

export const VM_POOL_METHODS = {
  extended: 'one.vmpool.infoextended',
  short: 'one.vmpool.info',
} as const;

/** Pool filter -3: the VMs this credential owns, which is every VM Slipway made with it. */
const MINE = -3;
/** State filter -1: every state but DONE (oned keeps DONE VMs forever, for accounting). */
const NOT_DONE = -1;
/** VMs per page; with end < -1 oned reads start as an offset and |end| as the page size. */
export const VM_PAGE_SIZE = 200;

/** Which pool method this oned answers; learnt on the first list, kept for the connector's life. */
export interface VmPoolMethod {
  method: (typeof VM_POOL_METHODS)[keyof typeof VM_POOL_METHODS];
}

const isNoSuchMethod = (error: unknown) =>
  error instanceof Error && error.cause instanceof OpennebulaRpcError && error.cause.fault && error.cause.code === FAULT_NO_SUCH_METHOD;

async function page(call: RpcCall, pool: VmPoolMethod, offset: number): Promise<CloudInstance[]> {
  try {
    return parseVmPool(String(await call(pool.method, [MINE, offset, -VM_PAGE_SIZE, NOT_DONE])));
  } catch (error) {
    if (pool.method !== VM_POOL_METHODS.extended || !isNoSuchMethod(error)) throw error;
    pool.method = VM_POOL_METHODS.short;
    return page(call, pool, offset);
  }
}

/** Every Slipway-tagged, not-DONE VM of the credential; `run` narrows it to one run. */
export async function listTaggedVms(call: RpcCall, pool: VmPoolMethod, filter: { run?: string } = {}): Promise<CloudInstance[]> {
  const byId = new Map<string, CloudInstance>();
  for (let offset = 0; ; offset += VM_PAGE_SIZE) {
    const vms = await page(call, pool, offset);
    const before = byId.size;
    for (const vm of vms) byId.set(vm.cloudId, vm);
    // A short page is the last; a page with nothing new means oned ignored the paging: stop either way.
    if (vms.length < VM_PAGE_SIZE || byId.size === before) break;
  }
  return [...byId.values()].filter((vm) => vm.tag !== undefined && (filter.run === undefined || vm.tag.run === filter.run));
}
