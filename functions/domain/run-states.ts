/** The run lifecycle of the product contract. */
export const RUN_STATES = ['Initializing', 'Provisioning', 'Executing', 'Ready', 'Finalizing', 'Done', 'Aborted'] as const;
export type RunState = (typeof RUN_STATES)[number];

export const FINAL_RUN_STATES: readonly RunState[] = ['Done', 'Aborted'];

/** States from which a run may move to each state. */
const ALLOWED_FROM: Record<RunState, readonly RunState[]> = {
  Initializing: [],
  Provisioning: ['Initializing'],
  Executing: ['Provisioning'],
  Ready: ['Executing'],
  Finalizing: ['Initializing', 'Provisioning', 'Executing', 'Ready'],
  Done: ['Finalizing'],
  Aborted: ['Finalizing'],
};

export function canMove(from: RunState, to: RunState): boolean {
  return ALLOWED_FROM[to].includes(from);
}

export function isFinal(state: RunState): boolean {
  return FINAL_RUN_STATES.includes(state);
}

/** The generic VM states every connector maps its cloud's states to. */
export const INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped', 'terminated', 'error'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];
