/**
 * Wraps a step function (input, deps) as a Lambda handler with Powertools: every
 * log line carries the run id, the outcome is counted (runs Ready or Aborted, VMs
 * created, cloud errors by class), and deps are injectable for tests.
 */
import type { Context } from 'aws-lambda';
import { depsFor, type AppDeps } from '#functions/commons/deps';
import { countCloudError, countMetric, logger, METRIC, observed } from '#functions/commons/observability';
import { RunAbortedError } from '#functions/domain/errors';
import type { TaskFunctionName } from '#infra/state-machines/task-functions';

export type StepFn<I, O> = (input: I, deps: AppDeps) => Promise<O>;

export interface StepOptions {
  /** The Task function's name in `TASK_FUNCTIONS`: the metrics' `step` dimension and the function's `NEEDS`. */
  name: TaskFunctionName;
  /** @default the deps of `name`, its environment checked at the first invocation */
  deps?: () => AppDeps;
}

/** Counts what a finished step did to its run, read from its input and output. */
function countOutcome(step: string, input: unknown, output: unknown): void {
  if (step === 'CreateInstance') countMetric(METRIC.vmsCreated);
  // SetRunState marks Ready; FinalizeRun reports how the run ended.
  if ((input as { state?: unknown } | undefined)?.state === 'Ready') countMetric(METRIC.runsReady, { step });
  const outcome = output as { state?: unknown; ended?: unknown } | undefined;
  if (outcome?.state === 'Aborted' && outcome.ended !== false) countMetric(METRIC.runsAborted, { step });
}

/** The Lambda handler of a step; `options` may be the deps factory alone (tests). */
export function stepHandler<I, O>(fn: StepFn<I, O>, options: StepOptions | (() => AppDeps)) {
  const { name, deps } = typeof options === 'function' ? { name: undefined, deps: options } : options;
  const step = name ?? 'unknown';
  // Checked at the first invocation, not at import: tests import step modules for their functions.
  let resolved = deps;
  return observed(async (input: I, _context: Context): Promise<O> => {
    resolved ??= depsFor(step);
    const runId = (input as { runId?: unknown } | undefined)?.runId;
    if (typeof runId === 'string') logger.appendKeys({ runId });
    try {
      const output = await fn(input, resolved());
      countOutcome(step, input, output);
      logger.info('step done', { step });
      return output;
    } catch (error) {
      countCloudError(error);
      if (error instanceof RunAbortedError && error.ended) countMetric(METRIC.runsAborted, { step });
      // The state machine's Retry/Catch decides what happens next: a warning, not an error.
      logger.warn('step failed', { step, error: error as Error });
      throw error;
    }
  });
}

export interface RunInput {
  runId: string;
}

export interface InstanceInput {
  runId: string;
  node: string;
  index: number;
}
