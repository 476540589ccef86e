/** Image names by id: deployments store their nodes' images by id, people read names. */
import { getAll } from './api';
import type { Image } from './types';
import { useLoad } from './use-load';

/** The caller's readable images' names by id (an image shared by id only, or deleted since, keeps its id). */
export function useImageNames(): Map<string, string> {
  const images = useLoad(() => getAll<Image>('/images'), []);
  return new Map((images.data ?? []).map((image) => [image.id, image.name]));
}
