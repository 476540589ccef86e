/**
 * LaunchBuilder: reserve the builder's VM in the owner's quota (once), then make the builder VM from the
 * parent's native image with the image's recipe and a build-scoped token, idempotently (the connector
 * finds a VM already made for the build's tag). The first look at it comes after the connector's usual boot time.
 */
import { hashToken, newSecretToken } from '#functions/commons/api-keys';
import { connectorKind } from '#connectors/registry';
import { BUILDER_INSTANCE, BuildCancelledError } from '#functions/domain/builds';
import type { AppDeps } from '#functions/commons/deps';
import { builderTag, buildOf, openBuildConnector } from '#functions/runs/image-builds';
import { moveBuild, reserveBuildQuota, setBuildFields } from '#functions/store/builds';
import { putRunToken } from '#functions/store/run-tokens';
import { stepHandler } from './step';

export interface BuildInput {
  buildId: string;
}

/** Where a build's look at its builder (or its image) stands: done, or how long to wait before the next look. */
export interface BuildCheck {
  done: boolean;
  polls: number;
  waitSeconds: number;
}

export async function launchBuilder({ buildId }: BuildInput, deps: AppDeps): Promise<BuildCheck> {
  const build = await buildOf(deps, buildId);
  if (build.cancelRequested) throw new BuildCancelledError(`build ${buildId} was cancelled before its builder VM was made`);
  await reserveBuildQuota(deps.table, build);
  const now = deps.now();
  await moveBuild(deps.table, buildId, { from: ['Pending'], to: 'Launching', message: `launching the builder VM from ${build.sourceImageId}` }, now);
  const { connector, config } = await openBuildConnector(deps, build);
  const token = newSecretToken('run');
  await putRunToken(deps.table, hashToken(token), { runId: buildId, instance: BUILDER_INSTANCE }, now);
  await setBuildFields(deps.table, buildId, { tokenHash: hashToken(token) }, now);
  const apiUrl = deps.config.apiUrl();
  const vm = await connector.createInstance({
    tag: builderTag(buildId),
    name: BUILDER_INSTANCE,
    imageId: build.sourceImageId,
    ...build.machine,
    boot: {
      recipe: build.recipe,
      outputs: [],
      inputs: {},
      callbackUrl: apiUrl ? `${apiUrl}/v1/builds/${buildId}/parameters` : undefined,
      token,
      readiness: build.readiness,
    },
  });
  await setBuildFields(deps.table, buildId, { builderCloudId: vm.cloudId }, deps.now());
  await moveBuild(deps.table, buildId, { from: ['Launching'], to: 'Running', message: `builder VM ${vm.cloudId} made: running the recipe` }, deps.now());
  const pollSeconds = connectorKind(config.kind).pollSeconds(config);
  return { done: false, polls: 0, waitSeconds: Math.max(1, Math.round(pollSeconds)) };
}

export const handler = stepHandler(launchBuilder, { name: 'LaunchBuilder' });
