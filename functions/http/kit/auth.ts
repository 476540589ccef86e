/**
 * Who is calling: a user (by API key) or a run's own VM (by run-scoped token).
 * Tokens are looked up by their hash; the clear token is never stored or logged.
 */
import { hashToken } from '#functions/commons/api-keys';
import { ForbiddenError, UnauthorizedError } from '#functions/domain/errors';
import { getItem } from '#functions/store/items';
import { keys } from '#functions/store/keys';
import type { TableClient } from '#functions/store/table-client';
import type { Access } from './route';

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; role: 'admin' | 'user' }
  | { kind: 'run'; runId: string };

export async function identify(table: TableClient, authorization: string | undefined): Promise<Caller> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return { kind: 'anonymous' };
  const token = getItem(table, keys.apiKey(hashToken(match[1])));
  const item = await token;
  if (!item) throw new UnauthorizedError('The API key is not valid');
  if (item.runId) return { kind: 'run', runId: String(item.runId) };
  const user = await getItem(table, keys.user(String(item.userId)));
  if (!user) throw new UnauthorizedError('The API key is not valid');
  return { kind: 'user', userId: String(user.id), role: user.role === 'admin' ? 'admin' : 'user' };
}

export function authorize(caller: Caller, access: Access): void {
  if (access === 'public') return;
  if (caller.kind === 'anonymous') throw new UnauthorizedError('Send an API key as "Authorization: Bearer <key>"');
  if (caller.kind === 'run' && access !== 'user-or-run-token') throw new ForbiddenError('A run token can only report parameters');
  if (access === 'admin' && !(caller.kind === 'user' && caller.role === 'admin')) {
    throw new ForbiddenError('This needs an admin API key');
  }
}

/** The user a request acts as; routes reached with a run token handle that case themselves. */
export function userOf(caller: Caller): { userId: string; isAdmin: boolean } {
  if (caller.kind !== 'user') throw new ForbiddenError('This needs a user API key');
  return { userId: caller.userId, isAdmin: caller.role === 'admin' };
}
