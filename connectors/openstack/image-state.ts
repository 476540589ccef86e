/**
 * A Glance v2 image's `status` → the generic image state, and the two calls on one
 * image: `GET /v2/images/{id}` (404: gone) and `DELETE /v2/images/{id}` (404: gone
 * already). Statuses per Glance's image API: queued (record made, no data yet),
 * saving / uploading / importing (data on its way), active, killed (the upload
 * failed), deactivated (an admin withdrew it), deleted / pending_delete.
 */
import type { ImageState, ImageStateName } from '#connectors/contract';
import type { OpenstackContext } from './context';
import type { GlanceImage } from './images';
import { jsonBody, serviceCall } from './service-call';

const BY_STATUS: Record<string, ImageStateName> = {
  queued: 'pending',
  saving: 'pending',
  uploading: 'pending',
  importing: 'pending',
  active: 'available',
  killed: 'failed',
  deactivated: 'failed',
  deleted: 'gone',
  pending_delete: 'gone',
};

const REASONS: Record<string, string> = {
  killed: 'Glance killed the image: its data could not be saved',
  deactivated: 'an administrator deactivated the image',
};

/**
 * The generic state of a Glance image. A status this table does not know reads as
 * `pending`: the build's deadline ends a wait that never resolves, whereas a false
 * failure would throw a good image away.
 */
export function glanceImageState(image: GlanceImage): ImageState {
  const status = image.status ?? 'unknown';
  const state = BY_STATUS[status] ?? 'pending';
  const reason = REASONS[status] ?? (state === 'gone' ? `the image is ${status}` : undefined);
  return { state, rawState: status, ...(reason ? { reason } : {}) };
}

const imagePath = (imageId: string) => `/images/${encodeURIComponent(imageId)}`;

export async function openstackImageState(ctx: OpenstackContext, imageId: string): Promise<ImageState> {
  // Glance answers 404 for an id it does not know, 400 for one that cannot be an id: gone either way.
  const response = await serviceCall(ctx, { service: 'image', path: imagePath(imageId), allow: [400, 404] });
  if (response.status === 400 || response.status === 404) return { state: 'gone', rawState: 'absent', reason: 'Glance does not know the image' };
  return glanceImageState(jsonBody<GlanceImage>(response, `openstack GET /v2${imagePath(imageId)}`));
}

/** Idempotent: an image Glance no longer knows is deleted. */
export async function deleteOpenstackImage(ctx: OpenstackContext, imageId: string): Promise<void> {
  await serviceCall(ctx, { service: 'image', method: 'DELETE', path: imagePath(imageId), allow: [404] });
}
