/** What every operation of one opened `opennebula` connector shares. */
import type { RpcCall } from './rpc-client';
import type { VmPoolMethod } from './list-vms';

export interface OpennebulaContext {
  /** Calls oned with this credential's session. */
  call: RpcCall;
  connectorName: string;
  /** The connector's `networkId` setting. */
  networkId?: number;
  /** The VM pool method this oned answers (learnt once). */
  pool: VmPoolMethod;
}
