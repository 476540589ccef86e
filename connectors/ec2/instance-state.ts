/**
 * EC2 instance states (../shared/docs/cloud-apis.md §4.5) mapped to Slipway's six,
 * with the cloud's own name kept next to the generic state.
 */
import type { InstanceState as Ec2State } from '@aws-sdk/client-ec2';
import type { InstanceState } from '#functions/domain/run-states';

/** The low byte of `InstanceState.Code` is the state; the high byte is internal to EC2. */
const BY_CODE: Record<number, InstanceState> = {
  0: 'pending',
  16: 'running',
  // Irreversible, but the VM still exists and holds its addresses until EC2 says terminated;
  // reporting it as stopping keeps "terminated" for what the cloud itself calls so.
  32: 'stopping',
  48: 'terminated',
  64: 'stopping',
  80: 'stopped',
};

/** EC2's state names, for the few places that ask the cloud by state. */
export const EC2_STATE_NAMES = { pending: 'pending', running: 'running', shuttingDown: 'shutting-down', stopping: 'stopping', stopped: 'stopped' } as const;

/** The states of a VM that still holds its tag: a create finds these instead of making another VM. */
export const HOLDING_STATE_NAMES = [EC2_STATE_NAMES.pending, EC2_STATE_NAMES.running, EC2_STATE_NAMES.stopping, EC2_STATE_NAMES.stopped];

export interface MappedState {
  state: InstanceState;
  rawState: string;
}

/**
 * Maps a state; an unknown or missing one is `error`, never thrown. A VM that EC2
 * terminated for its own reasons (`StateReason` `Server.*`, e.g.
 * `Server.InsufficientInstanceCapacity`) is a failed launch: `error`, with the
 * reason kept in the raw state.
 */
export function mapEc2State(state: Ec2State | undefined, reasonCode?: string): MappedState {
  const code = state?.Code === undefined ? undefined : state.Code & 0xff;
  const name = state?.Name ?? (code === undefined ? 'unknown' : `code ${code}`);
  const generic = code === undefined ? undefined : BY_CODE[code];
  if (!generic) return { state: 'error', rawState: name };
  if (generic === 'terminated' && reasonCode?.startsWith('Server.')) return { state: 'error', rawState: `${name} (${reasonCode})` };
  return { state: generic, rawState: name };
}
