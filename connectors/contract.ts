/**
 * The connector contract: what Slipway asks of every cloud. One folder per kind
 * implements it; `registry.ts` maps a kind to its implementation.
 */
import type { z } from 'zod';
import type { InstanceState } from '#functions/domain/run-states';

export const CONNECTOR_KINDS = ['sim', 'cloudstack', 'openstack', 'opennebula', 'ec2'] as const;
export type ConnectorKindName = (typeof CONNECTOR_KINDS)[number];

/** An admin-configured connector instance (SlipStream's `<instance>:<connector>`). */
export interface ConnectorConfig {
  name: string;
  kind: ConnectorKindName;
  endpoint?: string;
  zone?: string;
  region?: string;
  maxIaasWorkers: number;
  defaultQuotaVms: number;
  /** Minutes after which the monitor terminates an orphan VM (tagged as Slipway's, owned by no run); absent: never. */
  orphanGraceMinutes?: number;
  settings: Record<string, unknown>;
}

/** Every VM Slipway creates carries this tag; a create looks for it before making another VM. */
export interface InstanceTag {
  run: string;
  node: string;
  index: number;
}

/** What a VM's boot script needs: rendered into cloud-init by real clouds, acted out by `sim`. */
export interface BootData {
  recipe?: string;
  /** Outputs the image declares, with their defaults. */
  outputs: { name: string; default?: string }[];
  /** Input values known at create time. */
  inputs: Record<string, string>;
  /** Where the VM reports its parameters (`PUT /v1/runs/{id}/parameters/...`). */
  callbackUrl?: string;
  /** Run-scoped token for those callbacks. */
  token?: string;
  readiness: 'callback' | 'running';
}

export interface CreateInstanceRequest {
  tag: InstanceTag;
  /** Human name, e.g. `web.2`; clouds that need unique names get it prefixed by the run id. */
  name: string;
  imageId: string;
  instanceType?: string;
  cpu?: number;
  ramMb?: number;
  diskGb?: number;
  boot: BootData;
}

/** A VM as the cloud reports it. */
export interface CloudInstance {
  cloudId: string;
  tag?: InstanceTag;
  state: InstanceState;
  /** The cloud's own state, kept next to the generic one. */
  rawState: string;
  ip?: string;
  /**
   * Parameters the guest itself published (only `sim` acts out a guest; real guests
   * call the parameters API). Present once the guest reported.
   */
  published?: Record<string, string>;
}

/**
 * What a native image is built for. Kinds whose images take tags carry it (ec2 tags, Glance properties; the
 * sim keeps it) and check it when they find an image by name; cloudstack and opennebula rely on the name.
 */
export interface ImageTag {
  /** The Slipway image the build makes a native image of (`img_…`). */
  image: string;
  /** The build, one per image and cloud (`bld_…`). */
  build: string;
}

export interface CreateImageRequest {
  /** The build VM, by its native id: a VM from the parent's native image that ran the recipe and reported done. */
  cloudId: string;
  /**
   * The native image's name, unique in the account for this build (e.g. `slipway-mysql-bld_01J…`): a retry
   * finds the image by it. A cloud with naming rules gets it adapted, always the same way (`ec2`: AMI name characters).
   */
  name: string;
  tag: ImageTag;
}

/** Where a native image stands: being made, usable, failed for good, or not (or no longer) known to the cloud. */
export const IMAGE_STATES = ['pending', 'available', 'failed', 'gone'] as const;
export type ImageStateName = (typeof IMAGE_STATES)[number];

export interface ImageState {
  state: ImageStateName;
  /** The cloud's own state, kept next to the generic one (`queued`, `LOCKED`, `Download Complete`, `absent`). */
  rawState: string;
  /** Why the image failed or is gone, in the cloud's words where it gives any. */
  reason?: string;
}

/** A connector opened with one user's credential. */
export interface Connector {
  /** Idempotent: when a VM with the same tag exists, returns it instead of creating another. */
  createInstance(request: CreateInstanceRequest): Promise<CloudInstance>;
  /** Bulk list of the Slipway-tagged VMs in this account; `run` narrows it to one run. */
  listInstances(filter?: { run?: string }): Promise<CloudInstance[]>;
  /** Idempotent: a VM already gone counts as terminated. */
  terminateInstance(cloudId: string): Promise<void>;
  listImages(): Promise<{ id: string; name: string }[]>;
  /**
   * Snapshots VM `cloudId` into a native image named `request.name`, and answers its id at once (the cloud
   * goes on making it: follow it with `imageState`). Idempotent: the image already requested for the name
   * (and tag) is looked for first and returned, so a retry never makes a second one.
   * Where the cloud needs a stopped VM for a consistent disk, the VM is stopped first (cloudstack, openstack,
   * opennebula, sim; ec2's CreateImage shuts the instance down itself); a stop still under way after a
   * bounded wait throws `NotReadyYetError`, and the retry goes on from where the VM is.
   * @throws PermanentCloudError when the VM is gone or cannot be imaged; NotReadyYetError while it boots or
   *   stops; TransientCloudError, RateLimitedError, CloudQuotaExceededError as for any call.
   */
  createImage(request: CreateImageRequest): Promise<{ imageId: string }>;
  /** Where image `imageId` stands; an id the cloud does not know (or no longer) is `gone`, never an error. */
  imageState(imageId: string): Promise<ImageState>;
  /**
   * Deletes a native image (a build that failed, timed out or was abandoned leaves no half image behind;
   * on ec2 the EBS snapshots behind the AMI go too). Idempotent: an image already gone counts as deleted.
   */
  deleteImage(imageId: string): Promise<void>;
  listInstanceTypes(): Promise<{ id: string; name: string; cpu?: number; ramMb?: number }[]>;
  listZones(): Promise<{ id: string; name: string }[]>;
}

/**
 * The request budget of one (connector, credential), shared by every run and the
 * monitor. A kind calls `take()` before each cloud request and `throttled()` when
 * the cloud answered with a throttling code.
 */
export interface RateBudget {
  /** Resolves when a request may be sent (waits for a token). */
  take(): Promise<void>;
  /** The cloud throttled us: back off before the next request. */
  throttled(): Promise<void>;
}

/** What a connector may use besides its config and credential. */
export interface ConnectorDeps {
  /** Request budget; absent means unlimited (tests, admin look-ups). */
  budget?: RateBudget;
  /** Table access, for kinds that keep state in Slipway's own table (`sim`). */
  table?: import('#functions/store/table-client').TableClient;
  now: () => Date;
}

export interface ConnectorSession {
  config: ConnectorConfig;
  credentialId: string;
  secrets: Record<string, string>;
}

/**
 * What the API knows of a kind of cloud without its client code: how to validate
 * its settings and secrets, and how long its VMs usually take to boot. Kept apart
 * from `open` so that functions which never talk to a cloud bundle no cloud client.
 */
export interface ConnectorKindInfo {
  kind: ConnectorKindName;
  settingsSchema: z.ZodType<Record<string, unknown>>;
  secretsSchema: z.ZodType<Record<string, string>>;
  /** Seconds until a first look at booting VMs (about when this cloud usually has them up); later looks back off. */
  pollSeconds(config: ConnectorConfig): number;
}

/** One kind of cloud: its info, and how to open it. */
export interface ConnectorKind extends ConnectorKindInfo {
  open(session: ConnectorSession, deps: ConnectorDeps): Connector;
}
