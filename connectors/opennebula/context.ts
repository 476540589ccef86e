/** What every operation of one opened `opennebula` connector shares. */
import type { RpcCall } from './rpc-client';
import type { VmPoolMethod } from './list-vms';

/** Waits a test may shorten; the defaults suit a real front-end. */
export interface OpennebulaTuning {
  /** How long createImage waits for the VM to power off before answering NotReadyYetError. @default 40000 */
  stopWaitMs: number;
  /** Waits between looks at a VM powering off (pyone's recommended interval is 1 s). @default 1000 */
  pollMs: number;
}

export const DEFAULT_OPENNEBULA_TUNING: OpennebulaTuning = { stopWaitMs: 40_000, pollMs: 1000 };

export interface OpennebulaContext {
  /** Calls oned with this credential's session. */
  call: RpcCall;
  connectorName: string;
  /** The connector's `networkId` setting. */
  networkId?: number;
  /** The VM pool method this oned answers (learnt once). */
  pool: VmPoolMethod;
  tuning: OpennebulaTuning;
}
