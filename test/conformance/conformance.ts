/**
 * The connector conformance suite: one set of behaviours every kind must show,
 * run once per kind against a real peer, a fake built from the docs, or `sim`.
 * A kind plugs in with a `ConformanceTarget`; `describeConformance` does the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudInstance, InstanceTag } from '#connectors/contract';
import { CLOUD_ERROR } from '#connectors/errors';
import { INSTANCE_STATES } from '#functions/domain/run-states';
import { freshTag, vmRequest, type ConformanceTarget, type ConformanceWorld } from './conformance-kit';
import { describeImageBuilds } from './image-builds';

export type { ConformanceTarget, ConformanceWorld } from './conformance-kit';

export function describeConformance(target: ConformanceTarget): void {
  describe(`${target.kind} conformance`, () => {
    let world: ConformanceWorld;
    const request = (tag: InstanceTag, imageId?: string) => vmRequest(world, tag, imageId);
    const listRun = async (run: string): Promise<CloudInstance[]> => world.connector.listInstances({ run });
    const live = (vms: CloudInstance[]) => vms.filter((vm) => vm.state !== 'terminated');

    beforeAll(async () => {
      world = await target.setup();
    });
    afterAll(async () => {
      await world?.teardown();
    });

    it('creates a VM tagged with run, node and index, lists it in bulk, and terminates it', async () => {
      // Prepare
      const tag = freshTag();

      // Act
      const created = await world.connector.createInstance(request(tag));
      const listed = await listRun(tag.run);
      await world.connector.terminateInstance(created.cloudId);
      const after = live(await listRun(tag.run));

      // Assess
      expect(created.cloudId).toEqual(expect.any(String));
      expect(listed.map((vm) => vm.cloudId)).toEqual([created.cloudId]);
      expect(listed[0]!.tag).toEqual(tag);
      expect(after).toEqual([]);
    });

    it('makes no second VM when a create is retried', async () => {
      // Prepare
      const tag = freshTag();

      // Act
      const first = await world.connector.createInstance(request(tag));
      const second = await world.connector.createInstance(request(tag));
      const listed = live(await listRun(tag.run));
      await world.connector.terminateInstance(first.cloudId);

      // Assess
      expect(second.cloudId).toBe(first.cloudId);
      expect(listed).toHaveLength(1);
    });

    it('maps the cloud state to a generic one and keeps the raw state', async () => {
      // Prepare
      const tag = freshTag();
      const created = await world.connector.createInstance(request(tag));

      // Act
      const [vm] = await listRun(tag.run);
      await world.connector.terminateInstance(created.cloudId);

      // Assess
      expect(INSTANCE_STATES).toContain(vm!.state);
      expect(vm!.rawState).toEqual(expect.any(String));
      expect(vm!.rawState.length).toBeGreaterThan(0);
    });

    it('counts a VM that is already gone as terminated', async () => {
      // Prepare
      const tag = freshTag();
      const created = await world.connector.createInstance(request(tag));
      await world.connector.terminateInstance(created.cloudId);

      // Act
      const again = world.connector.terminateInstance(created.cloudId);

      // Assess
      await expect(again).resolves.toBeUndefined();
    });

    it('refuses a wrong secret with a permanent authentication error that holds no secret', async () => {
      // Act
      const error = await Promise.resolve()
        .then(() => world.openWithBadCredentials().listInstances())
        .then(
          () => undefined,
          (e: Error) => e,
        );

      // Assess
      expect(error?.name).toBe(CLOUD_ERROR.permanent);
      expect(error?.message).toMatch(/authentication/i);
    });

    it('refuses an unknown image with a permanent error naming the image', async () => {
      // Prepare
      const tag = freshTag();

      // Act
      const error = await world.connector.createInstance(request(tag, world.unknownImageId)).then(
        () => undefined,
        (e: Error) => e,
      );
      const leftover = live(await listRun(tag.run));
      await Promise.all(leftover.map((vm) => world.connector.terminateInstance(vm.cloudId)));

      // Assess
      expect(error?.name).toBe(CLOUD_ERROR.permanent);
      expect(error?.message).toContain(world.unknownImageId);
      expect(leftover).toEqual([]);
    });

    it('lists only the VMs of the asked run', async () => {
      // Prepare
      const a = freshTag();
      const b = freshTag();
      const vmA = await world.connector.createInstance(request(a));
      const vmB = await world.connector.createInstance(request(b));

      // Act
      const listedA = live(await listRun(a.run));
      const all = live(await world.connector.listInstances());
      await world.connector.terminateInstance(vmA.cloudId);
      await world.connector.terminateInstance(vmB.cloudId);

      // Assess
      expect(listedA.map((vm) => vm.cloudId)).toEqual([vmA.cloudId]);
      expect(all.map((vm) => vm.cloudId)).toEqual(expect.arrayContaining([vmA.cloudId, vmB.cloudId]));
    });

    it('answers the look-ups an admin needs', async () => {
      // Act
      const [images, types, zones] = await Promise.all([world.connector.listImages(), world.connector.listInstanceTypes(), world.connector.listZones()]);

      // Assess
      expect(images.map((i) => i.id)).toContain(world.imageId);
      for (const item of [...images, ...types, ...zones]) expect(item).toMatchObject({ id: expect.any(String), name: expect.any(String) });
    });

    describeImageBuilds(target, () => world);
  });
}
