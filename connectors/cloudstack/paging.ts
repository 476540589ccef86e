/**
 * Reads every page of a CloudStack list: `page`/`pagesize` (always together)
 * until a short page or `count` (the total over all pages) is reached. Both an
 * absent item array and an absent `count` mean what they say: no items, no total.
 */
import type { CallOptions, CloudStackApi } from './api-client';

/** A list longer than this many pages is a server that ignores `page`: stop rather than loop. */
const MAX_PAGES = 1000;

/** All items of `command`'s `itemKey` array, page after page. */
export async function listAll<T>(
  api: CloudStackApi,
  command: string,
  itemKey: string,
  params: Record<string, string>,
  pageSize: number,
  options?: CallOptions,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const reply = await api.call(command, { ...params, page: String(page), pagesize: String(pageSize) }, options);
    const found = Array.isArray(reply[itemKey]) ? (reply[itemKey] as T[]) : [];
    items.push(...found);
    const total = typeof reply.count === 'number' ? reply.count : undefined;
    if (found.length < pageSize || (total !== undefined && items.length >= total)) break;
  }
  return items;
}
