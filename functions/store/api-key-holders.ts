/** Who holds an API key or run token, found by the token's hash (the only form the table keeps). */
import { getItem } from './items';
import { keys } from './keys';
import type { TableClient } from './table-client';
import { ROLES } from '#functions/schemas/users';

type Role = (typeof ROLES)[number];
const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/** `role` is on keys made since roles were recorded with them; older keys leave it to the user item. */
export type KeyHolder = { kind: 'user'; userId: string; role?: Role; expiresAt?: string } | { kind: 'run'; runId: string };

/** Characters of a key kept in clear (`slw_` and 8 more): enough to tell keys apart in lists and logs, useless to an attacker. */
export const KEY_PREFIX_LENGTH = 12;

/** The part of a key or token that may be shown and logged; never more. */
export const keyPrefix = (token: string): string => token.slice(0, KEY_PREFIX_LENGTH);

/** The user or run the token with this hash belongs to; undefined for an unknown (or revoked) token. */
export async function findKeyHolder(table: TableClient, tokenHash: string): Promise<KeyHolder | undefined> {
  const item = await getItem(table, keys.apiKey(tokenHash));
  if (!item) return undefined;
  if (item.runId) return { kind: 'run', runId: String(item.runId) };
  const role = isRole(item.role) ? { role: item.role } : {};
  return { kind: 'user', userId: String(item.userId), ...role, ...(typeof item.expiresAt === 'string' ? { expiresAt: item.expiresAt } : {}) };
}
