/**
 * The image build steps on a scripted cloud, driven the way the build state machine drives them: the
 * success path, then every failure (recipe, snapshot refused, an image that stays pending, a builder that
 * never reports, a cancellation), each ending with the builder VM terminated and the quota given back.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PermanentCloudError } from '#connectors/errors';
import { BUILD_IMAGE_DEADLINE_SECONDS, BUILD_IMAGE_POLL_SECONDS, BUILD_RECIPE_DEADLINE_SECONDS } from '#functions/domain/builds';
import { maxPollsWithin } from '#functions/domain/boot-polling';
import { builderTag } from '#functions/runs/image-builds';
import { checkBuiltImage } from '#functions/steps/check-built-image';
import { checkBuilder } from '#functions/steps/check-builder';
import { launchBuilder } from '#functions/steps/launch-builder';
import { recordBuildFailure } from '#functions/steps/record-build-failure';
import { recordBuiltImage } from '#functions/steps/record-built-image';
import { snapshotBuilder } from '#functions/steps/snapshot-builder';
import { terminateBuilder } from '#functions/steps/terminate-builder';
import { getBuild, putBuild, setBuildFields } from '#functions/store/builds';
import { quotaFor } from '#functions/store/quotas';
import { readHead, updateVersioned, type VersionedMeta } from '#functions/store/versioned';
import { buildWorld as makeBuildWorld, type BuildWorld, type BuildWorldOptions } from '#test/runs/support/build-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));
vi.mock('#connectors/implementations', async (original) => (await import('#test/support/scripted-connector')).withScriptedImplementation(await original()));

let stack: StepStack;

beforeAll(async () => {
  stack = await startStepStack();
});

afterAll(async () => {
  await stack?.stop();
});

type ImageHead = VersionedMeta & { cloudImageIds?: Record<string, string>; parent?: string; recipe?: string };

const buildWorld = (options: BuildWorldOptions = {}) => makeBuildWorld(stack, options);

/** What the machine's Catch hands RecordBuildFailure. */
const caught = (error: unknown) => ({ Error: (error as Error).name, Cause: (error as Error).message });

/** Runs the build like the state machine: the happy path's steps in order, any failure into RecordBuildFailure, always TerminateBuilder. */
async function driveBuild(world: BuildWorld, hooks: { afterLaunch?: () => void | Promise<void>; afterSnapshot?: (imageId: string) => void } = {}) {
  const buildId = world.build.id;
  let transitions = 0;
  try {
    let check = await launchBuilder({ buildId }, stack.deps);
    await hooks.afterLaunch?.();
    while (!check.done) check = await checkBuilder({ buildId, polls: check.polls }, stack.deps);
    check = await snapshotBuilder({ buildId }, stack.deps);
    hooks.afterSnapshot?.((await getBuild(stack.deps.table, buildId))!.builtImageId!);
    while (!check.done) {
      check = await checkBuiltImage({ buildId, polls: check.polls }, stack.deps);
      transitions++;
    }
    await recordBuiltImage({ buildId }, stack.deps);
  } catch (error) {
    await recordBuildFailure({ buildId, error: caught(error) }, stack.deps);
  }
  const final = await terminateBuilder({ buildId }, stack.deps);
  return { final, build: (await getBuild(stack.deps.table, buildId))!, imageLooks: transitions };
}

/** The scripted builder VM reports done (as the sim's guest does) once it runs. */
const reportDone = (world: BuildWorld) => () => world.cloud.setState(builderTag(world.build.id), 'running', { published: { ready: 'true' } });

async function expectBuilderGone(world: BuildWorld) {
  expect(world.cloud.liveVms()).toEqual([]);
  const vm = world.cloud.vmFor(builderTag(world.build.id));
  if (vm) expect(world.cloud.callsOf('terminateInstance')).toContainEqual({ op: 'terminateInstance', cloudId: vm.cloudId });
  expect((await quotaFor(stack.deps.table, world.owner, world.connector))?.used).toBe(0);
}

describe('image build steps', () => {
  it('builds: the builder runs the recipe from the parent, is imaged and terminated, and the image gets a version with the built id', async () => {
    // Prepare
    const world = await buildWorld();
    // Act
    const { final, build } = await driveBuild(world, { afterLaunch: reportDone(world) });
    // Assess
    expect(final).toEqual({ state: 'Succeeded', reason: '' });
    const [create] = world.cloud.callsOf('createInstance');
    expect(create!.request).toMatchObject({
      imageId: 'img-parent',
      name: 'builder.1',
      tag: builderTag(build.id),
      boot: { recipe: 'apt-get install -y app', readiness: 'callback' },
    });
    expect(world.cloud.callsOf('createImage')).toEqual([
      {
        op: 'createImage',
        request: { cloudId: build.builderCloudId, name: `slipway-${build.imageName}-v1-${build.id}`, tag: { image: build.image, build: build.id } },
      },
    ]);
    expect(build).toMatchObject({ state: 'Succeeded', builtImageId: `${world.connector}-img-1`, newImageVersion: 2 });
    expect(build.steps.map((s) => s.state)).toEqual(['Pending', 'Launching', 'Running', 'Snapshotting', 'Succeeded']);
    const image = await readHead<ImageHead>(stack.deps.table, 'image', build.image);
    expect(image).toMatchObject({ version: 2, cloudImageIds: { [world.connector]: `${world.connector}-img-1` }, parent: build.image.replace('app', 'ubuntu') });
    await expectBuilderGone(world);
  });

  it('fails when the recipe reports a failure: no image is asked for, the builder goes', async () => {
    // Prepare
    const world = await buildWorld();
    // Act
    const { final, build } = await driveBuild(world, {
      afterLaunch: () => world.cloud.setState(builderTag(world.build.id), 'running', { published: { failed: 'apt-get exited 100' } }),
    });
    // Assess
    expect(final.state).toBe('Failed');
    expect(build.failureReason).toBe('the recipe failed on the builder VM: apt-get exited 100');
    expect(world.cloud.callsOf('createImage')).toEqual([]);
    expect((await readHead<ImageHead>(stack.deps.table, 'image', build.image))?.version).toBe(1);
    await expectBuilderGone(world);
  });

  it('fails when the cloud refuses the snapshot: the image keeps its version, the builder goes', async () => {
    // Prepare
    const world = await buildWorld();
    world.cloud.failNext('createImage', new PermanentCloudError('VM cannot be imaged (scripted)'));
    // Act
    const { final, build } = await driveBuild(world, { afterLaunch: reportDone(world) });
    // Assess
    expect(final).toEqual({ state: 'Failed', reason: 'VM cannot be imaged (scripted)' });
    expect(build.builtImageId).toBeUndefined();
    expect(world.cloud.callsOf('deleteImage')).toEqual([]);
    expect((await readHead<ImageHead>(stack.deps.table, 'image', build.image))?.version).toBe(1);
    await expectBuilderGone(world);
  });

  it('times out when the image stays pending (OpenStack `queued`): the half image is deleted, the image keeps its version, the builder goes', async () => {
    // Prepare
    const world = await buildWorld();
    // Act
    const { final, build, imageLooks } = await driveBuild(world, {
      afterLaunch: reportDone(world),
      afterSnapshot: (imageId) => world.cloud.setImageState(imageId, { state: 'pending', rawState: 'queued' }),
    });
    // Assess
    expect(final.state).toBe('TimedOut');
    expect(build.failureReason).toBe(`image ${build.builtImageId} was still queued after ${BUILD_IMAGE_DEADLINE_SECONDS / 60} minutes`);
    expect(imageLooks).toBe(maxPollsWithin(BUILD_IMAGE_DEADLINE_SECONDS, BUILD_IMAGE_POLL_SECONDS) - 1);
    expect(world.cloud.callsOf('deleteImage')).toEqual([{ op: 'deleteImage', imageId: build.builtImageId }]);
    expect((await readHead<ImageHead>(stack.deps.table, 'image', build.image))?.version).toBe(1);
    expect(build.newImageVersion).toBeUndefined();
    await expectBuilderGone(world);
  });

  it('times out when the builder never reports done within the recipe deadline', async () => {
    // Prepare
    const world = await buildWorld();
    // Act: the VM runs but its recipe never reports
    const { final } = await driveBuild(world, { afterLaunch: () => world.cloud.setState(builderTag(world.build.id), 'running') });
    // Assess
    expect(final.state).toBe('TimedOut');
    expect(world.cloud.callsOf('listInstances').length).toBeGreaterThanOrEqual(maxPollsWithin(BUILD_RECIPE_DEADLINE_SECONDS, 2));
    await expectBuilderGone(world);
  });

  it('ends Cancelled when cancelled while the recipe runs, and the builder goes', async () => {
    // Prepare
    const world = await buildWorld();
    // Act
    const { final } = await driveBuild(world, {
      afterLaunch: () => setBuildFields(stack.deps.table, world.build.id, { cancelRequested: 'cancelled by the test' }, new Date()),
    });
    // Assess
    expect(final).toEqual({ state: 'Cancelled', reason: `build ${world.build.id} was cancelled: cancelled by the test` });
    await expectBuilderGone(world);
  });

  it('terminates a builder VM whose create response was lost, found by its tag', async () => {
    // Prepare
    const world = await buildWorld();
    world.cloud.loseNextCreateResponse();
    // Act: LaunchBuilder fails (after retries, say), the failure path runs
    const { final, build } = await driveBuild(world);
    // Assess
    expect(final.state).toBe('Failed');
    expect(build.builderCloudId).toBeUndefined();
    await expectBuilderGone(world);
  });

  it('records the built id on top of a version written meanwhile, keeping that change', async () => {
    // Prepare
    const world = await buildWorld();
    // Act: someone changes the image while the recipe runs
    const { build } = await driveBuild(world, {
      afterLaunch: async () => {
        reportDone(world)();
        const head = (await readHead<ImageHead>(stack.deps.table, 'image', world.build.image))!;
        await updateVersioned(stack.deps.table, 'image', head, 1, { ...head, recipe: 'apt-get install -y app2' });
      },
    });
    // Assess
    expect(build).toMatchObject({ state: 'Succeeded', imageVersion: 1, newImageVersion: 3 });
    expect(await readHead<ImageHead>(stack.deps.table, 'image', build.image)).toMatchObject({
      version: 3,
      recipe: 'apt-get install -y app2',
      cloudImageIds: { [world.connector]: build.builtImageId },
    });
  });

  it('refuses a second build beyond the quota: nothing is made and nothing is left reserved', async () => {
    // Prepare: a quota of 3, three builds running
    const world = await buildWorld();
    const others = [];
    for (const suffix of ['a', 'b', 'c']) {
      const other = { ...world.build, id: `${world.build.id}${suffix}` };
      await putBuild(stack.deps.table, other);
      await launchBuilder({ buildId: other.id }, stack.deps);
      others.push(other);
    }
    // Act
    const { final } = await driveBuild(world);
    for (const other of others) await terminateBuilder({ buildId: other.id }, stack.deps);
    // Assess
    expect(final.state).toBe('Failed');
    expect(final.reason).toMatch(/quota exceeded/);
    await expectBuilderGone(world);
  });
});
