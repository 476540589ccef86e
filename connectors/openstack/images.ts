/**
 * Glance v2 images (`GET /v2/images`), all pages. Glance's `next` is a path from
 * its root (`/v2/images?marker=…`); only its query is taken, so a Glance behind
 * a path prefix or a proxy is followed correctly.
 */
import type { OpenstackContext } from './context';
import { jsonBody, serviceCall } from './service-call';

/** Stops a cloud whose `next` never ends from looping forever. */
const MAX_PAGES = 100;

/** A Glance v2 image: its own fields, and its properties at the top level (Nova's snapshot metadata among them). */
export interface GlanceImage {
  id?: string;
  name?: string | null;
  /** queued, saving, uploading, importing, active, killed, deleted, pending_delete, deactivated. */
  status?: string;
  [property: string]: unknown;
}

/** Every image Glance lists for `filters` (e.g. `name`), all pages. */
export async function glanceImages(ctx: OpenstackContext, filters: Record<string, string> = {}): Promise<GlanceImage[]> {
  const images: GlanceImage[] = [];
  let query: Record<string, string> = filters;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await serviceCall(ctx, { service: 'image', path: '/images', query });
    const body = jsonBody<{ images?: GlanceImage[]; next?: string }>(response, 'openstack GET /v2/images');
    images.push(...(body.images ?? []));
    if (!body.next) break;
    const next = Object.fromEntries(new URL(body.next, 'http://next.invalid').searchParams);
    if (next.marker === undefined || next.marker === query.marker) break;
    query = next;
  }
  return images;
}

export async function listImages(ctx: OpenstackContext): Promise<{ id: string; name: string }[]> {
  return (await glanceImages(ctx)).flatMap((image) => (image.id ? [{ id: image.id, name: image.name || image.id }] : []));
}
