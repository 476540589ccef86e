/**
 * Who is calling: a user (by API key, or by a Cognito access token that API
 * Gateway's JWT authorizer has already verified) or a run's own VM (by run-scoped
 * token). Tokens are looked up by their hash; the clear token is never stored or logged.
 */
import { hashToken } from '#functions/commons/api-keys';
import { logger } from '#functions/commons/observability';
import { ForbiddenError, UnauthorizedError } from '#functions/domain/errors';
import { findKeyHolder, keyPrefix } from '#functions/store/api-key-holders';
import type { TableClient } from '#functions/store/table-client';
import { getUser } from '#functions/store/users';

/** Who may call a route: anyone, a user, a vendor (or an admin), an admin, or a user or a run's own VM (its run token). */
export type Access = 'public' | 'user' | 'vendor' | 'admin' | 'user-or-run-token';

export type Role = 'admin' | 'vendor' | 'user';

export type Caller = { kind: 'anonymous' } | { kind: 'user'; userId: string; role: Role } | { kind: 'run'; runId: string };

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

/** The claims API Gateway's JWT authorizer puts on the event once it verified the token. */
export type JwtClaims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * A Cognito user acts as the Slipway user whose id is its username (admins create
 * Cognito users that way); the role comes from Slipway's table, never from the token.
 * Only access tokens act: an ID token passes the authorizer too, but is not for APIs.
 */
async function identifyByClaims(table: TableClient, claims: JwtClaims): Promise<Caller> {
  if (claims.token_use !== 'access') throw new UnauthorizedError('Send a Cognito access token, not an ID token');
  const user = typeof claims.username === 'string' ? await getUser(table, claims.username) : undefined;
  if (!user) throw new UnauthorizedError('The signed-in user is not a Slipway user');
  return { kind: 'user', userId: user.id, role: user.role };
}

/**
 * Who sends `authorization` (or the verified JWT `claims`). Once a key is known, its
 * prefix (never more of it) goes on every log line of the request as `keyPrefix`.
 * @param now the clock an expiry is checked against
 * @throws UnauthorizedError for a token that opens nothing, or a key past its expiry
 */
export async function identify(table: TableClient, authorization: string | undefined, claims?: JwtClaims, now: Date = new Date()): Promise<Caller> {
  if (claims) return identifyByClaims(table, claims);
  const token = bearerToken(authorization);
  if (!token) return { kind: 'anonymous' };
  const holder = await findKeyHolder(table, hashToken(token));
  if (!holder) throw new UnauthorizedError('The API key is not valid');
  logger.appendKeys({ keyPrefix: keyPrefix(token) });
  if (holder.kind === 'run') return holder;
  if (holder.expiresAt && Date.parse(holder.expiresAt) <= now.getTime()) throw new UnauthorizedError('The API key has expired');
  // The role travels with the key (one read); a key from before that reads the user.
  if (holder.role) return { kind: 'user', userId: holder.userId, role: holder.role };
  const user = await getUser(table, holder.userId);
  if (!user) throw new UnauthorizedError('The API key is not valid');
  return { kind: 'user', userId: user.id, role: user.role };
}

/** @throws UnauthorizedError without a key; ForbiddenError when the caller may not use the route */
export function authorize(caller: Caller, access: Access): void {
  if (access === 'public') return;
  if (caller.kind === 'anonymous') throw new UnauthorizedError('Send an API key as "Authorization: Bearer <key>"');
  if (caller.kind === 'run' && access !== 'user-or-run-token') throw new ForbiddenError('A run token can only report parameters');
  if (access === 'admin' && !(caller.kind === 'user' && caller.role === 'admin')) {
    throw new ForbiddenError('This needs an admin API key');
  }
  if (access === 'vendor' && !(caller.kind === 'user' && (caller.role === 'vendor' || caller.role === 'admin'))) {
    throw new ForbiddenError('This needs a vendor (or admin) API key');
  }
}

/** The user a request acts as; routes reached with a run token handle that case themselves. */
export function userOf(caller: Caller): { userId: string; isAdmin: boolean } {
  if (caller.kind !== 'user') throw new ForbiddenError('This needs a user API key');
  return { userId: caller.userId, isAdmin: caller.role === 'admin' };
}
