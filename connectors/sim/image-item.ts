/**
 * How a native image built in the sim is stored, and where it stands at a given
 * time: like a VM, everything follows from its stored timestamps and the clock
 * (made `bootSeconds` after the request, as the connector's VMs boot).
 */
import type { ImageState, ImageTag } from '#connectors/contract';
import { imageTagKey } from '#connectors/commons/tag';
import { simKeys } from './sim-keys';
import type { SimAccount } from './vm-item';
import { isExpired } from './vm-item';

/** The ids the sim gives the images it builds; anything else is not one of its built images. */
export const SIM_IMAGE_PREFIX = 'sim-img-';

/** A built image, as stored. */
export interface SimImageItem {
  pk: string;
  sk: string;
  imageId: string;
  name: string;
  tag: ImageTag;
  /** The VM it was made of. */
  vmId: string;
  /** ISO 8601. */
  createdAt: string;
  /** Seconds from the request until the image is available. */
  readySeconds: number;
  /** ISO 8601, set by deleteImage. */
  deletedAt?: string;
  /** Epoch seconds; set on delete so the table forgets the image a while later. */
  ttl?: number;
}

/** The guard of an image tag: it points at the image made for it. */
export interface SimImageTagItem {
  pk: string;
  sk: string;
  imageId: string;
  ttl?: number;
}

/** The sim's own image state names, CloudStack-like. */
export const SIM_IMAGE_RAW_STATE = { creating: 'Creating', ready: 'Ready', deleted: 'Deleted', absent: 'absent' } as const;

export function simImageTagKey(where: SimAccount, tag: ImageTag): { pk: string; sk: string } {
  return simKeys.imageTag(where.connector, where.account, imageTagKey(tag));
}

/** Where an image stands at `now`; an item the table forgot (or never held) is gone. */
export function simImageStateAt(item: SimImageItem | undefined, now: Date): ImageState {
  if (!item || isExpired(item, now)) return { state: 'gone', rawState: SIM_IMAGE_RAW_STATE.absent, reason: 'the image does not exist in this account' };
  if (item.deletedAt !== undefined) return { state: 'gone', rawState: SIM_IMAGE_RAW_STATE.deleted, reason: `the image was deleted at ${item.deletedAt}` };
  const readyAt = Date.parse(item.createdAt) + item.readySeconds * 1000;
  if (now.getTime() < readyAt) return { state: 'pending', rawState: SIM_IMAGE_RAW_STATE.creating };
  return { state: 'available', rawState: SIM_IMAGE_RAW_STATE.ready };
}
