/** Wraps a step function (input, deps) as a Lambda handler; deps are injectable for tests. */
import { appDeps, type AppDeps } from '#functions/commons/deps';

export type StepFn<I, O> = (input: I, deps: AppDeps) => Promise<O>;

export function stepHandler<I, O>(fn: StepFn<I, O>, deps: () => AppDeps = appDeps) {
  return (input: I): Promise<O> => fn(input, deps());
}

export interface RunInput {
  runId: string;
}

export interface InstanceInput {
  runId: string;
  node: string;
  index: number;
}
