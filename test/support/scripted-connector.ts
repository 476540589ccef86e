/**
 * A scripted cloud for the run step tests: a Connector whose answers and failures a
 * test scripts, recording every call. It is registered under the connector kind
 * `scripted` by replacing the registry module for the test file:
 *
 *   vi.mock('#connectors/registry', async (original) =>
 *     (await import('#test/support/scripted-connector')).withScriptedKind(await original()));
 *   vi.mock('#connectors/implementations', async (original) =>
 *     (await import('#test/support/scripted-connector')).withScriptedImplementation(await original()));
 *
 * A connector stored with kind `scripted` then opens the ScriptedCloud registered
 * under its name (`scriptedCloud(name)`), exactly as a step opens any cloud.
 */
import * as z from 'zod';
import type {
  CloudInstance,
  Connector,
  ConnectorConfig,
  ConnectorKind,
  ConnectorKindName,
  ConnectorSession,
  CreateImageRequest,
  CreateInstanceRequest,
  ImageState,
  InstanceTag,
} from '#connectors/contract';
import { PermanentCloudError, TransientCloudError } from '#connectors/errors';
import type * as Implementations from '#connectors/implementations';
import type * as Registry from '#connectors/registry';
import type { InstanceState } from '#functions/domain/run-states';

/** The kind name a scripted connector is stored under (not one of the product's kinds). */
export const SCRIPTED_KIND = 'scripted' as ConnectorKindName;

export type ScriptedCall =
  | { op: 'createInstance'; request: CreateInstanceRequest }
  | { op: 'listInstances'; filter?: { run?: string } }
  | { op: 'terminateInstance'; cloudId: string }
  | { op: 'createImage'; request: CreateImageRequest }
  | { op: 'imageState'; imageId: string }
  | { op: 'deleteImage'; imageId: string };

type Op = ScriptedCall['op'];

const sameTag = (a: InstanceTag | undefined, b: InstanceTag) => a?.run === b.run && a.node === b.node && a.index === b.index;

/** One simulated cloud account whose behaviour the test scripts. */
export class ScriptedCloud {
  /** Every call the steps made, in order. */
  readonly calls: ScriptedCall[] = [];
  /** The sessions the kind was opened with (credential id and secrets). */
  readonly sessions: ConnectorSession[] = [];
  private readonly vms = new Map<string, CloudInstance>();
  private readonly failures: Record<Op, Error[]> = {
    createInstance: [],
    listInstances: [],
    terminateInstance: [],
    createImage: [],
    imageState: [],
    deleteImage: [],
  };
  /** Native images by id, with the name they were asked under and where they stand. */
  private readonly images = new Map<string, { name: string; state: ImageState }>();
  private lostResponses = 0;
  private listingLags = false;
  private readonly inFlight = new Set<string>();
  private createHook: ((vm: CloudInstance) => Promise<void>) | undefined;
  private made = 0;

  constructor(readonly name: string) {}

  /** The next call of `op` fails with `error` (queued: one error per call). */
  failNext(op: Op, error: Error = new TransientCloudError(`${op} failed (scripted)`)): this {
    this.failures[op].push(error);
    return this;
  }

  /** The next create makes its VM, then fails as if the response were lost on the way back. */
  loseNextCreateResponse(): this {
    this.lostResponses++;
    return this;
  }

  /** Listings leave out a VM while its create is in flight (a cloud whose listings lag behind its creates). */
  lagListings(): this {
    this.listingLags = true;
    return this;
  }

  /** Runs `hook` while the cloud is creating a VM: after it exists, before the create answers. */
  whileCreating(hook: (vm: CloudInstance) => Promise<void>): this {
    this.createHook = hook;
    return this;
  }

  /** Holds a VM as if made outside any create (an orphan, or one made by an earlier attempt). */
  hold(vm: Omit<CloudInstance, 'rawState'> & { rawState?: string }): CloudInstance {
    const held = { rawState: vm.state, ...vm };
    this.vms.set(held.cloudId, held);
    return held;
  }

  /** Moves the VM made for `tag` to `state`, with what the guest published and its address. */
  setState(tag: InstanceTag, state: InstanceState, extra: Partial<Pick<CloudInstance, 'rawState' | 'published' | 'ip'>> = {}): void {
    const vm = this.vmFor(tag);
    if (!vm) throw new Error(`no VM for ${tag.node}.${tag.index} in scripted cloud ${this.name}`);
    this.vms.set(vm.cloudId, { ...vm, state, rawState: extra.rawState ?? state, ...extra });
  }

  /** Forgets a VM entirely, as if deleted behind Slipway's back. */
  forget(tag: InstanceTag): void {
    const vm = this.vmFor(tag);
    if (vm) this.vms.delete(vm.cloudId);
  }

  /** Moves image `imageId` to `state` (images are available as soon as they are made). */
  setImageState(imageId: string, state: ImageState): void {
    const image = this.images.get(imageId);
    if (!image) throw new Error(`no image ${imageId} in scripted cloud ${this.name}`);
    this.images.set(imageId, { ...image, state });
  }

  /** The VM made for `tag`, whatever its state. */
  vmFor(tag: InstanceTag): CloudInstance | undefined {
    return [...this.vms.values()].find((vm) => sameTag(vm.tag, tag));
  }

  /** VMs not terminated. */
  liveVms(): CloudInstance[] {
    return [...this.vms.values()].filter((vm) => vm.state !== 'terminated');
  }

  /** The calls of one operation. */
  callsOf<O extends Op>(op: O): Extract<ScriptedCall, { op: O }>[] {
    return this.calls.filter((call): call is Extract<ScriptedCall, { op: O }> => call.op === op);
  }

  connector(): Connector {
    return {
      createInstance: (request) => this.create(request),
      listInstances: async (filter) => {
        this.record({ op: 'listInstances', filter });
        return [...this.vms.values()]
          .filter((vm) => filter?.run === undefined || vm.tag?.run === filter.run)
          .filter((vm) => !(this.listingLags && this.inFlight.has(vm.cloudId)))
          .map((vm) => ({ ...vm }));
      },
      terminateInstance: async (cloudId) => {
        this.record({ op: 'terminateInstance', cloudId });
        const vm = this.vms.get(cloudId);
        if (vm) this.vms.set(cloudId, { ...vm, state: 'terminated', rawState: 'terminated', ip: undefined, published: undefined });
      },
      listImages: async () => [],
      listInstanceTypes: async () => [],
      listZones: async () => [],
      createImage: async (request) => {
        this.record({ op: 'createImage', request });
        const made = [...this.images].find(([, image]) => image.name === request.name);
        if (made) return { imageId: made[0] };
        const imageId = `${this.name}-img-${this.images.size + 1}`;
        this.images.set(imageId, { name: request.name, state: { state: 'available', rawState: 'available' } });
        return { imageId };
      },
      imageState: async (imageId) => {
        this.record({ op: 'imageState', imageId });
        return { ...(this.images.get(imageId)?.state ?? { state: 'gone', rawState: 'absent' }) };
      },
      deleteImage: async (imageId) => {
        this.record({ op: 'deleteImage', imageId });
        const image = this.images.get(imageId);
        if (image) this.images.set(imageId, { ...image, state: { state: 'gone', rawState: 'deleted' } });
      },
    };
  }

  private record(call: ScriptedCall): void {
    this.calls.push(call);
    const failure = this.failures[call.op].shift();
    if (failure) throw failure;
  }

  private async create(request: CreateInstanceRequest): Promise<CloudInstance> {
    this.record({ op: 'createInstance', request });
    const existing = this.vmFor(request.tag);
    if (existing && existing.state !== 'terminated') return { ...existing };
    const vm: CloudInstance = {
      cloudId: `${this.name}-vm-${++this.made}`,
      tag: { ...request.tag },
      state: 'pending',
      rawState: 'BUILD',
      ip: `10.9.0.${this.made}`,
    };
    this.vms.set(vm.cloudId, vm);
    this.inFlight.add(vm.cloudId);
    try {
      await this.createHook?.(vm);
    } finally {
      this.inFlight.delete(vm.cloudId);
    }
    if (this.lostResponses > 0) {
      this.lostResponses--;
      throw new TransientCloudError(`create of ${request.name}: connection reset (scripted lost response)`);
    }
    return { ...vm };
  }
}

const clouds = new Map<string, ScriptedCloud>();

/** A new scripted cloud for the connector named `name` (what a stored connector of kind `scripted` opens). */
export function scriptedCloud(name: string): ScriptedCloud {
  const cloud = new ScriptedCloud(name);
  clouds.set(name, cloud);
  return cloud;
}

/** The `scripted` kind: opens the cloud registered under the connector's name. */
export const scriptedKind: ConnectorKind = {
  kind: SCRIPTED_KIND,
  settingsSchema: z.record(z.string(), z.unknown()),
  secretsSchema: z.record(z.string(), z.string()),
  pollSeconds: (config: ConnectorConfig) => (typeof config.settings.pollSeconds === 'number' ? config.settings.pollSeconds : 5),
  open(session) {
    const cloud = clouds.get(session.config.name);
    if (!cloud) throw new PermanentCloudError(`no scripted cloud registered for connector ${session.config.name}`);
    cloud.sessions.push(session);
    return cloud.connector();
  },
};

/** The registry module with the `scripted` kind added; every other kind resolves as before. */
export function withScriptedKind(real: typeof Registry): typeof Registry {
  return {
    ...real,
    connectorKind: (kind: string) => (kind === SCRIPTED_KIND ? scriptedKind : real.connectorKind(kind)),
  };
}

/** The implementations module with the `scripted` kind added; every other kind opens as before. */
export function withScriptedImplementation(real: typeof Implementations): typeof Implementations {
  return {
    ...real,
    connectorImplementation: (kind: string) => (kind === SCRIPTED_KIND ? scriptedKind : real.connectorImplementation(kind)),
  };
}
