/**
 * CheckBuilder: one look at the builder VM. Done once it runs and its recipe reported `ready` (with its
 * build token; `sim` acts the report out), or once it runs for an image without a recipe. A VM gone or in
 * error, or a `failed` report, fails the build; looks past the recipe's deadline time it out.
 */
import { tagKey, vmsByTag } from '#connectors/commons/tag';
import { connectorKind } from '#connectors/registry';
import type { AppDeps } from '#functions/commons/deps';
import { nextWaitSeconds, maxPollsWithin } from '#functions/domain/boot-polling';
import { BUILD_RECIPE_DEADLINE_SECONDS, BuildCancelledError, BuildFailedError, BuildTimedOutError } from '#functions/domain/builds';
import { FAILED_PARAMETER } from '#functions/domain/parameters';
import { builderTag, buildOf, openBuildConnector } from '#functions/runs/image-builds';
import type { BuildCheck } from './launch-builder';
import { stepHandler } from './step';

export async function checkBuilder({ buildId, polls: before }: { buildId: string; polls: number }, deps: AppDeps): Promise<BuildCheck> {
  const build = await buildOf(deps, buildId);
  if (build.cancelRequested) throw new BuildCancelledError(`build ${buildId} was cancelled: ${build.cancelRequested}`);
  const polls = before + 1;
  const { connector, config } = await openBuildConnector(deps, build);
  const vm = vmsByTag(await connector.listInstances({ run: buildId })).get(tagKey(builderTag(buildId)));
  const failed = build.reported?.[FAILED_PARAMETER] ?? vm?.published?.[FAILED_PARAMETER];
  if (failed !== undefined) throw new BuildFailedError(`the recipe failed on the builder VM: ${failed}`);
  if (!vm || vm.state === 'terminated') throw new BuildFailedError(`the builder VM ${build.builderCloudId ?? ''} is gone`.replace('  ', ' '));
  if (vm.state === 'error') throw new BuildFailedError(`the builder VM ${vm.cloudId} is in error (${vm.rawState})`);
  const reported = build.reported?.ready === 'true' || vm.published !== undefined;
  const done = vm.state === 'running' && (build.readiness === 'running' || reported);
  const pollSeconds = connectorKind(config.kind).pollSeconds(config);
  if (!done && polls >= maxPollsWithin(BUILD_RECIPE_DEADLINE_SECONDS, pollSeconds)) {
    throw new BuildTimedOutError(
      `the builder VM ${vm.cloudId} did not report done within ${BUILD_RECIPE_DEADLINE_SECONDS / 60} minutes (it is ${vm.rawState})`,
    );
  }
  return { done, polls, waitSeconds: nextWaitSeconds(pollSeconds, polls) };
}

export const handler = stepHandler(checkBuilder, { name: 'CheckBuilder' });
