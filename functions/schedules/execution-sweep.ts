/**
 * Execution sweep: a build or a scale whose execution ended before it did — stopped by
 * hand, past the machine's timeout, a step that kept failing — or never started, still
 * ends the way it would have on its machine's failure path:
 * - a build: its failure recorded (its half-made image deleted), its builder VM
 *   terminated, its quota given back, its state final;
 * - a scale: rolled back (the instances it added terminated, the ones it had begun to
 *   remove terminated), and the run Ready again with the quota of what is gone given back.
 * Found through sparse partitions of the expiry index (open builds, open scales), never a
 * Scan; anything younger than the grace is left to the execution the API is starting.
 */
import type { AppDeps } from '#functions/commons/deps';
import { BUILD_ERROR } from '#functions/domain/builds';
import { DOMAIN_ERROR } from '#functions/domain/errors';
import { executionStatus } from '#functions/runs/run-executions';
import { scaleWork } from '#functions/runs/scale-run';
import { finishScale } from '#functions/steps/finish-scale';
import { recordBuildFailure } from '#functions/steps/record-build-failure';
import { terminateBuilder } from '#functions/steps/terminate-builder';
import { terminateInstance } from '#functions/steps/terminate-instance';
import { listOpenBuildIds } from '#functions/store/builds';
import { getRun, listRunInstances } from '#functions/store/runs';
import { dropOpenScale, listOpenScales, type OpenScale } from '#functions/store/scales';
import { scheduleHandler } from './schedule-handler';

/** How old a build or scale must be before a missing execution means it never started. */
export const SWEEP_GRACE_SECONDS = 120;

export interface SweepReport {
  builds: { build: string; execution: string }[];
  scales: { run: string; scale: string; execution: string }[];
}

/** "the build's execution ended (ABORTED) before the build did", or that it never started. */
const endedFirst = (what: string, status: string | undefined) =>
  status ? `the ${what}'s execution ended (${status}) before the ${what} did` : `the ${what}'s execution never started`;

/** Rolls back a scale whose execution is gone, as its machine's Catch would; false when the run is no longer in that scale (its marker is dropped). */
async function abandonScale(deps: AppDeps, open: OpenScale, why: string): Promise<boolean> {
  const run = await getRun(deps.table, open.runId);
  if (!run || run.state !== 'Scaling' || run.scaling?.id !== open.scaleId) {
    await dropOpenScale(deps.table, open.scaleId);
    return false;
  }
  const work = await scaleWork(deps, run, open.scaleId);
  const phases = new Map((await listRunInstances(deps.table, run.id)).map((i) => [`${i.node}.${i.index}`, i.phase]));
  // Removed instances already claimed for termination finish going; the others stay, as on a rollback.
  const begun = work.remove.filter((ref) => phases.get(`${ref.node}.${ref.index}`) === 'terminating');
  for (const ref of [...begun, ...work.add]) await terminateInstance(ref, deps);
  await finishScale({ runId: run.id, scaleId: open.scaleId, error: { Error: DOMAIN_ERROR.scaleAbandoned, Cause: why } }, deps);
  return true;
}

export async function sweepExecutions(deps: AppDeps): Promise<SweepReport> {
  const report: SweepReport = { builds: [], scales: [] };
  const startedBy = new Date(deps.now().getTime() - SWEEP_GRACE_SECONDS * 1000);
  for (const buildId of await listOpenBuildIds(deps.table, startedBy)) {
    const status = await executionStatus(deps, deps.config.buildStateMachineArn(), buildId);
    if (status === 'RUNNING') continue;
    await recordBuildFailure({ buildId, error: { Error: BUILD_ERROR.failed, Cause: endedFirst('build', status) } }, deps);
    await terminateBuilder({ buildId }, deps);
    report.builds.push({ build: buildId, execution: status ?? 'never started' });
  }
  for (const open of await listOpenScales(deps.table, startedBy)) {
    const status = await executionStatus(deps, deps.config.scaleStateMachineArn(), open.scaleId);
    if (status === 'RUNNING') continue;
    if (await abandonScale(deps, open, endedFirst('scale', status)))
      report.scales.push({ run: open.runId, scale: open.scaleId, execution: status ?? 'never started' });
  }
  return report;
}

export const handler = scheduleHandler('executionSweep', sweepExecutions);
