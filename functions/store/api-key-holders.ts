/** Who holds an API key or run token, found by the token's hash (the only form the table keeps). */
import { getItem } from './items';
import { keys } from './keys';
import type { TableClient } from './table-client';

export type KeyHolder = { kind: 'user'; userId: string } | { kind: 'run'; runId: string };

/** The user or run the token with this hash belongs to; undefined for an unknown (or revoked) token. */
export async function findKeyHolder(table: TableClient, tokenHash: string): Promise<KeyHolder | undefined> {
  const item = await getItem(table, keys.apiKey(tokenHash));
  if (!item) return undefined;
  return item.runId ? { kind: 'run', runId: String(item.runId) } : { kind: 'user', userId: String(item.userId) };
}
