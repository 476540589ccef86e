/**
 * A user action that calls the API: while it runs the action is busy (its buttons
 * disabled), a new attempt clears the last problem, and a failure is kept as the
 * problem to show next to the action.
 */
import { useState } from 'preact/hooks';
import { ApiProblem } from './api';

/** The error as an API problem: the API's own, or one that says what else went wrong. */
export const asProblem = (error: unknown, title = 'Console error') => (error instanceof ApiProblem ? error : new ApiProblem(0, title, String(error)));

export interface Action {
  busy: boolean;
  problem?: ApiProblem;
  setProblem(problem: ApiProblem | undefined): void;
  /** Runs the action: its result, or undefined once its failure is the problem. */
  run<T>(action: () => Promise<T>): Promise<T | undefined>;
}

export function useAction(options: { problem?: ApiProblem; title?: string } = {}): Action {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | undefined>(options.problem);
  const run = async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setProblem(undefined);
    try {
      return await action();
    } catch (error) {
      setProblem(asProblem(error, options.title));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, setProblem, run };
}
