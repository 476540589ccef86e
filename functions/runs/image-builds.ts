/**
 * Image builds over store and connectors: what a build needs before it starts (the parent's native id on
 * the connector, the owner's credential, the recipe), starting its execution (named after the build id),
 * and opening its connector for the build steps.
 */
import type { InstanceTag } from '#connectors/contract';
import type { AppDeps } from '#functions/commons/deps';
import { BUILDER_NODE, nativeImageName } from '#functions/domain/builds';
import { ConflictError, NotFoundError, ValidationError } from '#functions/domain/errors';
import { loadChain, resolveImage, type ImageDoc } from '#functions/domain/images';
import { getBuild, type BuildDoc } from '#functions/store/builds';
import { getConnector } from '#functions/store/connectors';
import { credentialFor } from '#functions/store/credentials';
import { readHead } from '#functions/store/versioned';
import { openConnector, type OpenedConnector } from './open-connector';
import { startExecution } from './run-executions';

/** The builder VM's tag: the build id as its run, so no run's instance and no orphan sweep ever claims it. */
export const builderTag = (buildId: string): InstanceTag => ({ run: buildId, node: BUILDER_NODE, index: 1 });

type ImageVersion = ImageDoc & { owner: string; createdAt: string; updatedAt: string };

/**
 * The build of `image` (the version read) on `connector`, as it starts: Pending, not yet stored.
 * @throws ValidationError for an unknown connector; ConflictError when the image has no parent, the parent
 *   chain no native id on the connector, or the owner no credential there
 */
export async function planBuild(deps: AppDeps, image: ImageVersion, connector: string, ids: { buildId: string; index: number }): Promise<BuildDoc> {
  const at = deps.now().toISOString();
  if (!(await getConnector(deps.table, connector))) {
    throw new ValidationError('1 invalid field(s)', [{ path: `body.connectors.${ids.index}`, message: `no connector "${connector}"` }]);
  }
  if (!image.parent) throw new ConflictError(`image ${image.id} has no parent: a build starts from the parent's native image`);
  const parent = await readHead<ImageDoc>(deps.table, 'image', image.parent);
  if (!parent) throw new ConflictError(`the parent of image ${image.id} no longer exists`);
  const load = (id: string) => readHead<ImageDoc>(deps.table, 'image', id);
  const parentChain = await loadChain(parent, load).catch((error: unknown) => {
    throw new ConflictError(`the parent chain of image ${image.id} cannot be read: ${(error as Error).message}`);
  });
  const sourceImageId = resolveImage(parentChain).cloudImageIds[connector];
  if (!sourceImageId) throw new ConflictError(`the parent of image ${image.id} has no native image on connector ${connector}: nothing to build from`);
  const credential = await credentialFor(deps.table, image.owner, connector);
  if (!credential) throw new ConflictError(`the image's owner has no credential for connector ${connector}`);
  const effective = resolveImage([image, ...parentChain]);
  return {
    id: ids.buildId,
    owner: image.owner,
    image: image.id,
    imageName: image.name,
    imageVersion: image.version,
    connector,
    credentialId: credential.id,
    state: 'Pending',
    steps: [{ at, state: 'Pending', message: `build of ${image.name} version ${image.version} on ${connector} from ${sourceImageId}` }],
    sourceImageId,
    nativeImageName: nativeImageName(image.name, image.version, ids.buildId),
    ...(effective.recipe ? { recipe: effective.recipe } : {}),
    // With a recipe the builder is done when it reports; without one, once it runs.
    readiness: effective.recipe ? 'callback' : 'running',
    ...(effective.defaults[connector] ? { machine: effective.defaults[connector] } : {}),
    createdAt: at,
    updatedAt: at,
  };
}

/** Starts the build's execution (named after the build id); a repeated start finds it started. */
export const startBuildExecution = (deps: AppDeps, buildId: string): Promise<void> =>
  startExecution(deps, deps.config.buildStateMachineArn(), buildId, { buildId });

/**
 * The build a step works on.
 * @throws NotFoundError when it does not exist (a step of a build that was never stored)
 */
export async function buildOf(deps: AppDeps, buildId: string): Promise<BuildDoc> {
  const build = await getBuild(deps.table, buildId);
  if (!build) throw new NotFoundError(`build ${buildId} not found`);
  return build;
}

/** The build's connector, opened with the owner's credential. */
export const openBuildConnector = (deps: AppDeps, build: BuildDoc): Promise<OpenedConnector> => openConnector(deps, build.connector, build.credentialId);
