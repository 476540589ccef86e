/**
 * Build sweep: a build whose execution ended before the build did — stopped by hand,
 * past the machine's timeout, a step that kept failing — or never started, still ends
 * the way every build ends: its failure is recorded (its half-made image deleted), its
 * builder VM terminated, its quota given back, its state final. Found through the sparse
 * open-builds index (a build leaves it when it ends), never a Scan; builds younger than
 * the grace are left to the execution the API is starting.
 */
import type { AppDeps } from '#functions/commons/deps';
import { BUILD_ERROR } from '#functions/domain/builds';
import { buildExecutionStatus } from '#functions/runs/image-builds';
import { recordBuildFailure } from '#functions/steps/record-build-failure';
import { terminateBuilder } from '#functions/steps/terminate-builder';
import { listOpenBuildIds } from '#functions/store/builds';
import { scheduleHandler } from './schedule-handler';

/** How old a build must be before a missing execution means it never started. */
export const BUILD_SWEEP_GRACE_SECONDS = 120;

export async function sweepBuilds(deps: AppDeps): Promise<{ ended: { build: string; execution: string }[] }> {
  const ended: { build: string; execution: string }[] = [];
  const createdBy = new Date(deps.now().getTime() - BUILD_SWEEP_GRACE_SECONDS * 1000);
  for (const buildId of await listOpenBuildIds(deps.table, createdBy)) {
    const status = await buildExecutionStatus(deps, buildId);
    if (status === 'RUNNING') continue;
    const execution = status ?? 'never started';
    const cause = status ? `the build's execution ended (${status}) before the build did` : "the build's execution never started";
    await recordBuildFailure({ buildId, error: { Error: BUILD_ERROR.failed, Cause: cause } }, deps);
    await terminateBuilder({ buildId }, deps);
    ended.push({ build: buildId, execution });
  }
  return { ended };
}

export const handler = scheduleHandler('buildSweep', sweepBuilds);
