/** Image names by id: deployments store their nodes' images by id, people read names (paths, for an image in a project). */
import { getAll } from './api';
import { pathOf } from './project-link';
import type { Image } from './types';
import { useLoad } from './use-load';

/** The caller's readable images' paths by id (`shop/backend/mysql`, or the name at the top level; an image shared by id only, or deleted since, keeps its id). */
export function useImageNames(): Map<string, string> {
  const images = useLoad(() => getAll<Image>('/images'), []);
  return new Map((images.data ?? []).map((image) => [image.id, pathOf(image)]));
}
