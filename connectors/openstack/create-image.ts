/**
 * createImage, idempotent: Glance is asked FIRST for an image with the build's
 * name (and, when it carries one, the build's tag in its properties); otherwise the
 * server is stopped and Nova's `createImage` action asked for a snapshot, with
 * Slipway's image tag as metadata (Nova copies it into the image's properties).
 * Nova makes the Glance image record before it answers (202), so a retry whose
 * reply was lost finds it by name; the snapshot's data follows later, which
 * `imageState` follows. Microversion 2.1 answers the image's URL in `Location`;
 * 2.45 and later answer `{"image_id"}`: both are read.
 */
import type { CreateImageRequest } from '#connectors/contract';
import { imageTagMatches, imageTagPairs } from '#connectors/commons/tag';
import { TransientCloudError } from '#connectors/errors';
import { where, type OpenstackContext } from './context';
import { glanceImages, type GlanceImage } from './images';
import { serviceCall } from './service-call';
import { ensureServerStopped } from './stop-server';

/**
 * Answers the image made for the build, asking Nova for it when there is none.
 * @throws PermanentCloudError when the server is gone or in ERROR; NotReadyYetError while it builds or stops;
 *   CloudQuotaExceededError, TransientCloudError (409 while another task runs on it) and the like.
 */
export async function createOpenstackImage(ctx: OpenstackContext, request: CreateImageRequest): Promise<{ imageId: string }> {
  const made = (await glanceImages(ctx, { name: request.name })).find((image) => image.id && image.name === request.name && taggedFor(image, request));
  if (made?.id) return { imageId: made.id };

  await ensureServerStopped(ctx, request.cloudId);
  const path = `/servers/${encodeURIComponent(request.cloudId)}/action`;
  const response = await serviceCall(ctx, {
    service: 'compute',
    method: 'POST',
    path,
    body: { createImage: { name: request.name, metadata: imageTagPairs(request.tag) } },
  });
  const imageId = imageIdOf(response.text) ?? lastSegment(response.headers.get('location'));
  if (!imageId)
    throw new TransientCloudError(`openstack POST ${path} on ${where(ctx)}: Nova accepted the snapshot but named no image (a retry finds it by name)`);
  return { imageId };
}

function taggedFor(image: GlanceImage, request: CreateImageRequest): boolean {
  const pairs = Object.fromEntries(Object.entries(image).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return imageTagMatches(pairs, request.tag);
}

/** `{"image_id": "…"}` (microversion 2.45+); undefined for the empty body of 2.1. */
function imageIdOf(text: string): string | undefined {
  try {
    const id = (JSON.parse(text) as { image_id?: unknown }).image_id;
    return typeof id === 'string' && id ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The image id at the end of the `Location` URL (`…/images/<id>`). */
function lastSegment(url: string | null): string | undefined {
  if (!url) return undefined;
  const segment = new URL(url, 'http://location.invalid').pathname.split('/').filter(Boolean).pop();
  return segment ? decodeURIComponent(segment) : undefined;
}
