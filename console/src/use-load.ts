/**
 * Loads data for a page and, optionally, keeps it fresh: the next load starts
 * `everyMs` after the previous one ended (never two at once), and stops once
 * `until` says the data is final. A failed load keeps the last good data and
 * shows the problem next to it.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from './api';

export interface Loaded<T> {
  data?: T;
  problem?: ApiProblem;
  loading: boolean;
  /** Loads again now (after an action), and resumes polling if it had stopped. */
  reload(): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[], options: { everyMs?: number; until?: (data: T) => boolean } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; problem?: ApiProblem; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef({ load, options });
  latest.current = { load, options };

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      let data: T | undefined;
      try {
        data = await latest.current.load();
        if (stopped) return;
        setState({ data, loading: false });
      } catch (error) {
        if (stopped) return;
        const problem = error instanceof ApiProblem ? error : new ApiProblem(0, 'Console error', String((error as Error)?.message ?? error));
        setState((previous) => ({ data: previous.data, problem, loading: false }));
      }
      const { everyMs, until } = latest.current.options;
      const final = data !== undefined && until?.(data) === true;
      if (everyMs && !final && !stopped) timer = setTimeout(tick, everyMs);
    };
    setState((previous) => ({ ...previous, loading: true }));
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}
