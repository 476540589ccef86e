/**
 * What the conformance suites share: how a kind plugs in (`ConformanceTarget`,
 * `ConformanceWorld`), fresh tags, the VM a test asks for, and a bounded poll.
 */
import type { BootData, Connector, CreateInstanceRequest, InstanceTag } from '#connectors/contract';

export interface ConformanceWorld {
  /** A connector opened with a working credential. */
  connector: Connector;
  /** Opens the same connector with a wrong secret (may throw, as opening may check the credential). */
  openWithBadCredentials(): Connector;
  /** A native image id the cloud has. */
  imageId: string;
  /** A native image id the cloud does not have. */
  unknownImageId: string;
  /** An instance type the cloud has, when the kind needs one. */
  instanceType?: string;
  /** Stops what setup started. */
  teardown(): Promise<void>;
}

export interface ConformanceTarget {
  kind: string;
  /** Starts what the kind needs (fake server, peer, table) and opens connectors. */
  setup(): Promise<ConformanceWorld>;
  /** Waits between polls of a VM's or an image's state (a real peer is slower than a fake). @default 200 */
  pollMs?: number;
  /**
   * What the cloud makes of an image build. `completes`: the image is available within `waitMs`.
   * `stays-pending`: the cloud accepts the build but never finishes it (the OpenStack peer: Nova's fake
   * driver uploads no data, so Glance keeps the image `queued`); the suite then checks that it stays
   * pending for `waitMs` instead, and launches nothing from it.
   * @default { outcome: 'completes', waitMs: 30000 }
   */
  imageBuilds?: { outcome: 'completes' | 'stays-pending'; waitMs?: number };
  /** How long the build VM may take to run before the image tests start. @default 60000 */
  bootWaitMs?: number;
}

const boot: BootData = { outputs: [{ name: 'hostname' }], inputs: {}, readiness: 'running' };

/** A fresh tag per test, so tests never see each other's VMs. */
let sequence = 0;
export function freshTag(): InstanceTag {
  sequence += 1;
  return { run: `conf${Date.now().toString(36)}${sequence}`, node: 'web', index: 1 };
}

/** Polls `read` every `pollMs` until `done` holds or `waitMs` passed; answers every value seen. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, waitMs: number, pollMs: number): Promise<T[]> {
  const seen: T[] = [];
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await read();
    seen.push(value);
    if (done(value) || Date.now() + pollMs > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The VM a test asks for: `web.1` of `tag`, from the world's image unless another is given. */
export function vmRequest(world: ConformanceWorld, tag: InstanceTag, imageId = world.imageId): CreateInstanceRequest {
  return { tag, name: `${tag.node}.${tag.index}`, imageId, instanceType: world.instanceType, boot };
}
