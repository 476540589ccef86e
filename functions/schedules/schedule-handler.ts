/**
 * Wraps a schedule job (deps → report) as a Lambda handler with Powertools: the
 * report is logged (the run ids a tick acted on among it), cloud errors counted.
 */
import { depsFor, type AppDeps } from '#functions/commons/deps';
import { countCloudError, logger, observed } from '#functions/commons/observability';
import type { ScheduleName } from '#functions/schedules/schedule-table';

/** The handler of schedule `name`; its environment is checked at the first tick (tests import the job's module). */
export function scheduleHandler<R>(name: ScheduleName, job: (deps: AppDeps) => Promise<R>, deps?: () => AppDeps) {
  let resolved = deps;
  return observed(async (): Promise<R> => {
    resolved ??= depsFor(name);
    try {
      const report = await job(resolved());
      logger.info('schedule done', { schedule: name, report: report as Record<string, unknown> });
      return report;
    } catch (error) {
      countCloudError(error);
      logger.error('schedule failed', { schedule: name, error: error as Error });
      throw error;
    }
  });
}
