/** The run lifecycle of the product contract. */
export const RUN_STATES = ['Initializing', 'Provisioning', 'Executing', 'Ready', 'Scaling', 'Finalizing', 'Done', 'Aborted'] as const;
export type RunState = (typeof RUN_STATES)[number];

export const FINAL_RUN_STATES: readonly RunState[] = ['Done', 'Aborted'];

/** States from which a run may move to each state. */
const ALLOWED_FROM: Record<RunState, readonly RunState[]> = {
  Initializing: [],
  Provisioning: ['Initializing'],
  Executing: ['Provisioning'],
  /** Back from Scaling when a scale ends, added or rolled back. */
  Ready: ['Executing', 'Scaling'],
  /** A Ready run adds or removes instances of a node (its own state machine). */
  Scaling: ['Ready'],
  /** Terminate works during a scale too: the scale's execution is stopped first. */
  Finalizing: ['Initializing', 'Provisioning', 'Executing', 'Ready', 'Scaling'],
  Done: ['Finalizing'],
  Aborted: ['Finalizing'],
};

export function canMove(from: RunState, to: RunState): boolean {
  return ALLOWED_FROM[to].includes(from);
}

/** The deploy path, in order: a run only ever moves forward along it. */
const DEPLOY_PATH: readonly RunState[] = ['Initializing', 'Provisioning', 'Executing', 'Ready'];

/**
 * True when a run in `current` has already reached `target` on the deploy path
 * (it is there or further along): a step re-run after a crash finds its move done.
 */
export function hasReached(current: RunState, target: RunState): boolean {
  const at = DEPLOY_PATH.indexOf(current);
  const to = DEPLOY_PATH.indexOf(target);
  return at >= 0 && to >= 0 ? at >= to : current === target;
}

export function isFinal(state: RunState): boolean {
  return FINAL_RUN_STATES.includes(state);
}

/** The generic VM states every connector maps its cloud's states to. */
export const INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped', 'terminated', 'error'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

/**
 * VM states from which a booting VM never becomes ready by itself: a run whose VM
 * is in one of them fails instead of waiting for the boot deadline.
 */
export const FAILED_VM_STATES: readonly InstanceState[] = ['error', 'terminated', 'stopped', 'stopping'];

export function isFailedVmState(state: InstanceState): boolean {
  return FAILED_VM_STATES.includes(state);
}
