/**
 * How a sim VM is stored in the table, and how it reads back as a `CloudInstance`.
 * Everything the VM will ever report is fixed at create time and stored with it,
 * so a later change of the connector's settings does not rewrite existing VMs.
 */
import type { CloudInstance, InstanceTag } from '#connectors/contract';
import { tagKey } from '#connectors/commons/tag';
import { simKeys } from './sim-keys';
import { SIM_RAW_STATE, simVmStateAt } from './vm-state';

/** A VM of the simulated cloud, as stored. */
export interface SimVmItem {
  pk: string;
  sk: string;
  vmId: string;
  tag: InstanceTag;
  name: string;
  imageId: string;
  instanceType?: string;
  cpu?: number;
  ramMb?: number;
  diskGb?: number;
  /** ISO 8601. */
  createdAt: string;
  bootSeconds: number;
  /** ISO 8601, set by createImage, which stops the VM before copying its disk. */
  stoppedAt?: string;
  /** ISO 8601, set by terminate. */
  terminatedAt?: string;
  ip: string;
  /** What the guest publishes once running (hostname, ip, output defaults). */
  publishes: Record<string, string>;
  /** Epoch seconds; set on terminate so the table forgets the VM a while later. */
  ttl?: number;
}

/** Where a VM's account lives: the connector instance and the credential standing for the account. */
export interface SimAccount {
  connector: string;
  account: string;
}

/** How long the table remembers a terminated VM (a real cloud shows it terminated for a while too). */
export const TERMINATED_RETENTION_SECONDS = 24 * 60 * 60;

/** The table's TTL attribute holds epoch seconds. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * DynamoDB deletes an expired item only some time after its TTL passes, so reads
 * treat it as gone from the TTL on: the VM disappears exactly when the clock says.
 */
export function isExpired(item: { ttl?: number }, now: Date): boolean {
  return item.ttl !== undefined && item.ttl <= epochSeconds(now);
}

/**
 * Guards the uniqueness of a tag in an account: written in the same transaction as
 * the VM, so two concurrent creates cannot both make a VM for one tag.
 * The sort key lies outside `VM#`, so account listings never see it.
 */
export function simTagKey(where: SimAccount, tag: InstanceTag): { pk: string; sk: string } {
  return simKeys.tag(where.connector, where.account, tagKey(tag));
}

/** The guard item: it points at the VM made for its tag. */
export interface SimTagItem {
  pk: string;
  sk: string;
  vmId: string;
  ttl?: number;
}

/** The VM as the cloud reports it at `now`: `published` only once it runs, no address once it is gone. */
export function toCloudInstance(item: SimVmItem, now: Date): CloudInstance {
  const { state, rawState } = simVmStateAt(item, now);
  return {
    cloudId: item.vmId,
    tag: item.tag,
    state,
    rawState,
    ...(state === 'terminated' ? {} : { ip: item.ip }),
    ...(state === 'running' ? { published: { ...item.publishes } } : {}),
  };
}

/** What a tag guard whose VM the table already forgot reports: a VM gone for good. */
export function forgottenInstance(vmId: string, tag: InstanceTag): CloudInstance {
  return { cloudId: vmId, tag, state: 'terminated', rawState: SIM_RAW_STATE.destroyed };
}
