/**
 * A sim VM's state follows from its stored timestamps and the clock: nothing
 * runs in the background, so a poll at any time sees what a real cloud would.
 */
import type { InstanceState } from '#functions/domain/run-states';

/** The sim's own state names, CloudStack-like, kept next to the generic state. */
export const SIM_RAW_STATE = {
  starting: 'Starting',
  running: 'Running',
  stopped: 'Stopped',
  destroyed: 'Destroyed',
} as const;

export type SimRawState = (typeof SIM_RAW_STATE)[keyof typeof SIM_RAW_STATE];

/** The timestamps a VM's state is computed from. */
export interface SimVmClock {
  /** ISO 8601. */
  createdAt: string;
  bootSeconds: number;
  /** ISO 8601, set by createImage (the VM is stopped before its disk is copied). */
  stoppedAt?: string;
  /** ISO 8601, set by terminate. */
  terminatedAt?: string;
}

export interface SimVmState {
  state: InstanceState;
  rawState: SimRawState;
}

/**
 * `terminated` once terminate was asked (whatever the clock says: the VM is gone),
 * `stopped` once an image was made of it, otherwise `pending` until
 * `createdAt + bootSeconds`, then `running`.
 */
export function simVmStateAt(vm: SimVmClock, now: Date): SimVmState {
  if (vm.terminatedAt !== undefined) return { state: 'terminated', rawState: SIM_RAW_STATE.destroyed };
  if (vm.stoppedAt !== undefined) return { state: 'stopped', rawState: SIM_RAW_STATE.stopped };
  const bootedAt = Date.parse(vm.createdAt) + vm.bootSeconds * 1000;
  if (now.getTime() < bootedAt) return { state: 'pending', rawState: SIM_RAW_STATE.starting };
  return { state: 'running', rawState: SIM_RAW_STATE.running };
}
