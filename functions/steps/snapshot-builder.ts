/**
 * SnapshotBuilder: ask the cloud for a native image of the builder VM (stopped first where the cloud needs
 * it), named after the build so that a retry finds the image it asked for instead of making a second one.
 */
import type { AppDeps } from '#functions/commons/deps';
import { BUILD_IMAGE_POLL_SECONDS, BuildCancelledError, BuildFailedError } from '#functions/domain/builds';
import { buildOf, openBuildConnector } from '#functions/runs/image-builds';
import { moveBuild, setBuildFields } from '#functions/store/builds';
import type { BuildCheck, BuildInput } from './launch-builder';
import { stepHandler } from './step';

export async function snapshotBuilder({ buildId }: BuildInput, deps: AppDeps): Promise<BuildCheck> {
  const build = await buildOf(deps, buildId);
  if (build.cancelRequested) throw new BuildCancelledError(`build ${buildId} was cancelled: ${build.cancelRequested}`);
  if (!build.builderCloudId) throw new BuildFailedError(`build ${buildId} has no builder VM to snapshot`);
  await moveBuild(
    deps.table,
    buildId,
    { from: ['Running'], to: 'Snapshotting', message: `the recipe is done: imaging builder VM ${build.builderCloudId} as ${build.nativeImageName}` },
    deps.now(),
  );
  const { connector } = await openBuildConnector(deps, build);
  const { imageId } = await connector.createImage({
    cloudId: build.builderCloudId,
    name: build.nativeImageName,
    tag: { image: build.image, build: buildId },
  });
  await setBuildFields(deps.table, buildId, { builtImageId: imageId }, deps.now());
  return { done: false, polls: 0, waitSeconds: BUILD_IMAGE_POLL_SECONDS };
}

export const handler = stepHandler(snapshotBuilder, { name: 'SnapshotBuilder' });
