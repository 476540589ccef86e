/**
 * One Keystone token per (endpoint, credential), kept at module level so every
 * call of a warm Lambda reuses it, renewed some minutes before it expires, and
 * dropped when a service answers 401 so the next call signs in again. Concurrent
 * callers share one sign-in. Tokens live here only: never logged, never in errors.
 */
import { createHash } from 'node:crypto';
import type { OpenstackContext } from './context';
import { requestToken, type KeystoneToken } from './keystone';

/** Renew this long before expiry, so no request leaves with a token about to die. */
const RENEW_MARGIN_MS = 5 * 60 * 1000;

interface Entry {
  /** Hash of the secrets the token was made with: a changed credential signs in again. */
  fingerprint: string;
  token: Promise<KeystoneToken>;
}

const cache = new Map<string, Entry>();

const cacheKey = (ctx: OpenstackContext) => `${ctx.endpoint}\u0000${ctx.credentialId}`;

function fingerprint(ctx: OpenstackContext): string {
  return createHash('sha256').update(JSON.stringify(ctx.secrets)).digest('base64url');
}

/** A token that is valid for at least the renewal margin; signs in when there is none. */
export async function currentToken(ctx: OpenstackContext): Promise<KeystoneToken> {
  const key = cacheKey(ctx);
  const print = fingerprint(ctx);
  const cached = cache.get(key);
  if (cached && cached.fingerprint === print) {
    const token = await cached.token.catch(() => undefined);
    if (token && ctx.now().getTime() < token.expiresAtMs - renewMargin(token)) return token;
  }
  // Re-check: another caller may have started a sign-in while we awaited.
  const latest = cache.get(key);
  if (latest && latest !== cached && latest.fingerprint === print) return latest.token;
  const entry: Entry = { fingerprint: print, token: requestToken(ctx) };
  cache.set(key, entry);
  // A failed sign-in is not remembered: the next call tries again.
  entry.token.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.token;
}

/** Forgets `token` after a 401; a newer token another caller already got is kept. */
export async function dropToken(ctx: OpenstackContext, token: KeystoneToken): Promise<void> {
  const key = cacheKey(ctx);
  const cached = cache.get(key);
  if (cached && (await cached.token.catch(() => undefined)) === token) cache.delete(key);
}

/** Short-lived tokens (test clouds) are renewed at half their life instead. */
function renewMargin(token: KeystoneToken): number {
  return Math.min(RENEW_MARGIN_MS, token.lifetimeMs / 2);
}

/** Empties the cache (tests). */
export function clearTokenCache(): void {
  cache.clear();
}
