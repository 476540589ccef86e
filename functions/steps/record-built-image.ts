/**
 * RecordBuiltImage: the image's next version holds the built native id on the build's connector, written on
 * top of whatever version is current (retried when another write got there first, merging), once.
 */
import type { AppDeps } from '#functions/commons/deps';
import { BuildFailedError } from '#functions/domain/builds';
import { buildOf } from '#functions/runs/image-builds';
import { recordBuiltImage as writeVersion, setBuildFields } from '#functions/store/builds';
import type { BuildInput } from './launch-builder';
import { stepHandler } from './step';

export async function recordBuiltImage({ buildId }: BuildInput, deps: AppDeps): Promise<{ newImageVersion: number }> {
  const build = await buildOf(deps, buildId);
  if (build.newImageVersion) return { newImageVersion: build.newImageVersion };
  if (!build.builtImageId) throw new BuildFailedError(`build ${buildId} has no native image to record`);
  const newImageVersion = await writeVersion(deps.table, build, deps.now());
  await setBuildFields(deps.table, buildId, { newImageVersion }, deps.now());
  return { newImageVersion };
}

export const handler = stepHandler(recordBuiltImage, { name: 'RecordBuiltImage' });
