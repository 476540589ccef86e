/**
 * The image-build part of the conformance suite: a build VM that runs is snapshotted
 * into a native image; a retried createImage answers the same image; the image
 * becomes available (or, on a cloud that never finishes builds, stays pending) and a
 * VM launches from it; an unknown image is gone; a delete is idempotent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudInstance, CreateImageRequest, ImageState, InstanceTag } from '#connectors/contract';
import { IMAGE_STATES } from '#connectors/contract';
import { freshTag, pollUntil, vmRequest, type ConformanceTarget, type ConformanceWorld } from './conformance-kit';

/** Registers the image-build tests of `target`, on the world its suite set up. */
export function describeImageBuilds(target: ConformanceTarget, currentWorld: () => ConformanceWorld): void {
  describe('image builds', () => {
    let world: ConformanceWorld;
    const request = (tag: InstanceTag, imageId?: string) => vmRequest(world, tag, imageId);
    const listRun = (run: string) => world.connector.listInstances({ run });
    const live = (vms: CloudInstance[]) => vms.filter((listed) => listed.state !== 'terminated');
    const pollMs = target.pollMs ?? 200;
    const builds = { outcome: 'completes' as const, waitMs: 30_000, ...target.imageBuilds };
    const series = `bld${Date.now().toString(36)}`;
    let vm: CloudInstance;
    let first: CreateImageRequest;
    let imageId: string;
    const made: string[] = [];
    const build = (suffix: string): CreateImageRequest => ({
      cloudId: vm.cloudId,
      name: `slipway-conformance-${series}${suffix}`,
      tag: { image: 'img_conformance', build: `${series}${suffix}` },
    });
    const imageOf = async (buildRequest: CreateImageRequest) => {
      const { imageId: id } = await world.connector.createImage(buildRequest);
      made.push(id);
      return id;
    };

    beforeAll(async () => {
      world = currentWorld();
      // The build VM: one that runs, as a build's VM does once its recipe reported done.
      const tag = freshTag();
      vm = await world.connector.createInstance(request(tag));
      await pollUntil(
        async () => (await listRun(tag.run))[0],
        (listed) => listed?.state === 'running',
        target.bootWaitMs ?? 60_000,
        pollMs,
      );
      first = build('a');
      imageId = await imageOf(first);
    });
    afterAll(async () => {
      if (vm) await world.connector.terminateInstance(vm.cloudId);
      for (const id of made) await world.connector.deleteImage(id).catch(() => undefined);
    });

    it('answers the image already requested to a retried createImage, not a second one', async () => {
      // Act
      const again = await world.connector.createImage(first);

      // Assess
      expect(imageId).toEqual(expect.any(String));
      expect(again.imageId).toBe(imageId);
    });

    if (builds.outcome === 'completes') {
      it('reports the image available once the cloud has made it, keeping the raw state', async () => {
        // Act
        const seen = await pollUntil(
          () => world.connector.imageState(imageId),
          (s) => s.state !== 'pending',
          builds.waitMs,
          pollMs,
        );

        // Assess
        const last = seen.at(-1)!;
        expect(last.state).toBe('available');
        expect(last.rawState).toEqual(expect.any(String));
        expect(last.rawState.length).toBeGreaterThan(0);
      });

      it('launches a VM from the built image', async () => {
        // Prepare
        await pollUntil(
          () => world.connector.imageState(imageId),
          (s) => s.state !== 'pending',
          builds.waitMs,
          pollMs,
        );
        const tag = freshTag();

        // Act
        const launched = await world.connector.createInstance(request(tag, imageId));
        const listed = live(await listRun(tag.run));
        await world.connector.terminateInstance(launched.cloudId);

        // Assess
        expect(listed.map((listedVm) => listedVm.cloudId)).toEqual([launched.cloudId]);
      });
    } else {
      it('reports an image the cloud never finishes as pending all along, keeping the raw state', async () => {
        // Act
        const seen = await pollUntil(
          () => world.connector.imageState(imageId),
          (s) => s.state !== 'pending',
          builds.waitMs,
          pollMs,
        );

        // Assess
        expect(seen.map((s: ImageState) => s.state)).toEqual(seen.map(() => 'pending'));
        expect(seen[0]!.rawState.length).toBeGreaterThan(0);
      });
    }

    it('reports an image the cloud does not know as gone', async () => {
      // Act
      const state = await world.connector.imageState(world.unknownImageId);

      // Assess
      expect(state.state).toBe('gone');
      expect(IMAGE_STATES).toContain(state.state);
    });

    it('deletes an image, a second delete is no error, and the image is gone then', async () => {
      // Prepare
      const doomed = await imageOf(build('b'));

      // Act
      await world.connector.deleteImage(doomed);
      const again = world.connector.deleteImage(doomed);

      // Assess
      await expect(again).resolves.toBeUndefined();
      const seen = await pollUntil(
        () => world.connector.imageState(doomed),
        (s) => s.state === 'gone',
        builds.waitMs,
        pollMs,
      );
      expect(seen.at(-1)!.state).toBe('gone');
    });
  });
}
