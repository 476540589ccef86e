/**
 * Glance v2 images (`GET /v2/images`), all pages. Glance's `next` is a path from
 * its root (`/v2/images?marker=…`); only its query is taken, so a Glance behind
 * a path prefix or a proxy is followed correctly.
 */
import type { OpenstackContext } from './context';
import { jsonBody, serviceCall } from './service-call';

/** Stops a cloud whose `next` never ends from looping forever. */
const MAX_PAGES = 100;

interface GlanceImage {
  id?: string;
  name?: string | null;
}

export async function listImages(ctx: OpenstackContext): Promise<{ id: string; name: string }[]> {
  const images: { id: string; name: string }[] = [];
  let query: Record<string, string> = {};
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await serviceCall(ctx, { service: 'image', path: '/images', query });
    const body = jsonBody<{ images?: GlanceImage[]; next?: string }>(response, 'openstack GET /v2/images');
    for (const image of body.images ?? []) {
      if (image.id) images.push({ id: image.id, name: image.name || image.id });
    }
    if (!body.next) break;
    const next = Object.fromEntries(new URL(body.next, 'http://next.invalid').searchParams);
    if (next.marker === undefined || next.marker === query.marker) break;
    query = next;
  }
  return images;
}
