/**
 * CheckBuiltImage: one look at the native image being made. Available: done. Failed or gone: the build
 * fails. Still pending past the image deadline (15 minutes): the build times out (the failure path deletes
 * the half-made image and terminates the builder).
 */
import type { AppDeps } from '#functions/commons/deps';
import { maxPollsWithin, nextWaitSeconds } from '#functions/domain/boot-polling';
import { BUILD_IMAGE_DEADLINE_SECONDS, BUILD_IMAGE_POLL_SECONDS, BuildCancelledError, BuildFailedError, BuildTimedOutError } from '#functions/domain/builds';
import { buildOf, openBuildConnector } from '#functions/runs/image-builds';
import type { BuildCheck } from './launch-builder';
import { stepHandler } from './step';

export async function checkBuiltImage({ buildId, polls: before }: { buildId: string; polls: number }, deps: AppDeps): Promise<BuildCheck> {
  const build = await buildOf(deps, buildId);
  if (build.cancelRequested) throw new BuildCancelledError(`build ${buildId} was cancelled: ${build.cancelRequested}`);
  const imageId = build.builtImageId;
  if (!imageId) throw new BuildFailedError(`build ${buildId} has no native image to look at`);
  const polls = before + 1;
  const { connector } = await openBuildConnector(deps, build);
  const image = await connector.imageState(imageId);
  if (image.state === 'available') return { done: true, polls, waitSeconds: 0 };
  if (image.state === 'failed' || image.state === 'gone') {
    throw new BuildFailedError(
      `the cloud ${image.state === 'failed' ? 'failed' : 'lost'} image ${imageId} (${image.rawState}${image.reason ? `: ${image.reason}` : ''})`,
    );
  }
  if (polls >= maxPollsWithin(BUILD_IMAGE_DEADLINE_SECONDS, BUILD_IMAGE_POLL_SECONDS)) {
    throw new BuildTimedOutError(`image ${imageId} was still ${image.rawState} after ${BUILD_IMAGE_DEADLINE_SECONDS / 60} minutes`);
  }
  return { done: false, polls, waitSeconds: nextWaitSeconds(BUILD_IMAGE_POLL_SECONDS, polls) };
}

export const handler = stepHandler(checkBuiltImage, { name: 'CheckBuiltImage' });
