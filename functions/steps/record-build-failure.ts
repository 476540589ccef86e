/**
 * RecordBuildFailure: every failure of a build comes here (then to TerminateBuilder). It records how the
 * build ends (Failed, TimedOut, Cancelled) and why, and deletes the native image it asked for, if any, so a
 * build that did not succeed leaves no half image behind.
 */
import type { AppDeps } from '#functions/commons/deps';
import { failureOutcome, type BuildState } from '#functions/domain/builds';
import { buildOf, openBuildConnector } from '#functions/runs/image-builds';
import { setBuildFields } from '#functions/store/builds';
import { stepHandler } from './step';

export interface BuildFailureInput {
  buildId: string;
  /** What the state machine caught. */
  error?: { Error?: string; Cause?: string };
}

export async function recordBuildFailure({ buildId, error }: BuildFailureInput, deps: AppDeps): Promise<{ state: BuildState; reason: string }> {
  const build = await buildOf(deps, buildId);
  // A re-run keeps the first outcome recorded.
  const outcome = build.ending && build.failureReason ? { state: build.ending, reason: build.failureReason } : failureOutcome(error);
  await setBuildFields(deps.table, buildId, { ending: outcome.state, failureReason: outcome.reason }, deps.now());
  if (build.builtImageId && !build.newImageVersion) {
    const { connector } = await openBuildConnector(deps, build);
    await connector.deleteImage(build.builtImageId);
  }
  return outcome;
}

export const handler = stepHandler(recordBuildFailure, { name: 'RecordBuildFailure' });
