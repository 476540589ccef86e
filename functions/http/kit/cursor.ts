/**
 * Pagination cursors as clients see them: the store's cursor (a start key) sealed
 * with AES-256-GCM under a key derived from the caller's bearer token, bound to the
 * route, the caller, its path parameters and its filters (not its `limit`). A
 * cursor that was altered, forged, or made for another caller, route or filter does
 * not open: 400 on `query.cursor`. The store checks what it opens once more (the
 * start key must be in the partition it queries).
 */
import { ValidationError } from '#functions/domain/errors';
import { canonical, seal, unseal } from './caller-seal';

/** What a cursor is bound to. */
export function cursorScope(routeKey: string, callerId: string, params: unknown, query: unknown): string {
  const { cursor: _cursor, limit: _limit, ...filters } = (query ?? {}) as Record<string, unknown>;
  return JSON.stringify(['cursor', routeKey, callerId, canonical(params ?? {}), canonical(filters)]);
}

/** The store's cursor, sealed for the caller and scope. */
export function sealCursor(token: string, scope: string, storeCursor: string): string {
  return seal(token, scope, storeCursor, 'cursor');
}

/**
 * The store's cursor inside `cursor`.
 * @throws ValidationError when it does not open with this token and scope
 */
export function openCursor(token: string | undefined, scope: string, cursor: string): string {
  try {
    if (token) {
      const opened = unseal<unknown>(token, scope, cursor, 'cursor');
      if (typeof opened === 'string') return opened;
    }
  } catch {
    // refused below, whatever the reason: a forger learns nothing
  }
  throw new ValidationError('The cursor is not one this API gave you for this listing', [
    { path: 'query.cursor', message: 'invalid cursor: pass the nextCursor of the same listing, with the same filters and API key' },
  ]);
}
