/**
 * TerminateBuilder: the end of every build, whatever happened. Terminates the builder VM (by its cloud id,
 * and any VM with the build's tag, which a lost create response may have left unrecorded), revokes the
 * builder's token, gives its VM back to the owner's quota (once), and moves the build to its final state.
 */
import { tagKey, vmsByTag } from '#connectors/commons/tag';
import type { AppDeps } from '#functions/commons/deps';
import { BUILD_STATES, isFinalBuild, type BuildState } from '#functions/domain/builds';
import { builderTag, buildOf, openBuildConnector } from '#functions/runs/image-builds';
import { moveBuild, releaseBuildQuota } from '#functions/store/builds';
import { revokeRunTokens } from '#functions/store/run-tokens';
import type { BuildInput } from './launch-builder';
import { stepHandler } from './step';

const UNFINISHED = BUILD_STATES.filter((state) => !isFinalBuild(state));

export async function terminateBuilder({ buildId }: BuildInput, deps: AppDeps): Promise<{ state: BuildState; reason: string }> {
  const build = await buildOf(deps, buildId);
  if (build.quotaReserved || build.builderCloudId) {
    const { connector } = await openBuildConnector(deps, build);
    const tagged = vmsByTag(await connector.listInstances({ run: buildId })).get(tagKey(builderTag(buildId)));
    const cloudIds = new Set([build.builderCloudId, tagged && tagged.state !== 'terminated' ? tagged.cloudId : undefined]);
    for (const cloudId of cloudIds) if (cloudId) await connector.terminateInstance(cloudId);
  }
  if (build.tokenHash) await revokeRunTokens(deps.table, [build.tokenHash]);
  await releaseBuildQuota(deps.table, build);
  const state: BuildState = isFinalBuild(build.state) ? build.state : (build.ending ?? (build.newImageVersion ? 'Succeeded' : 'Failed'));
  const reason = build.failureReason ?? (state === 'Succeeded' ? '' : 'the build ended without recording its image');
  const message =
    state === 'Succeeded'
      ? `builder VM terminated: image version ${build.newImageVersion} holds ${build.builtImageId} on ${build.connector}`
      : `builder VM terminated: ${state} (${reason})`;
  await moveBuild(deps.table, buildId, { from: UNFINISHED, to: state, message, set: state === 'Succeeded' ? {} : { failureReason: reason } }, deps.now());
  return { state, reason };
}

export const handler = stepHandler(terminateBuilder, { name: 'TerminateBuilder' });
