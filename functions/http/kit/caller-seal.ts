/**
 * What only the caller's API key opens: for an idempotency record, the request as
 * an HMAC (a credential's secrets are never stored, not even as a plain hash that
 * a guess could be checked against) and the response sealed with AES-256-GCM (a
 * new user's API key is in it); for a list, its pagination cursors (`cursor` purpose).
 * Keys are derived from the bearer token, which the table holds only as a hash.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** What a derived key is for: a key of one purpose never opens what another sealed. */
export type SealPurpose = 'digest' | 'seal' | 'cursor';

const keyFor = (token: string, purpose: SealPurpose, scope: string) => Buffer.from(hkdfSync('sha256', token, 'slipway-idempotency', `${purpose}#${scope}`, 32));

/** Sorted keys, so the same JSON in another key order digests the same. */
export const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        )
      : value;

/** HMAC-SHA256 of `value` under the caller's token. */
export function requestDigest(token: string, scope: string, value: unknown): string {
  return createHmac('sha256', keyFor(token, 'digest', scope))
    .update(JSON.stringify(canonical(value ?? null)))
    .digest('base64url');
}

/** `value` as JSON, sealed under the caller's token: base64url of iv | tag | ciphertext. */
export function seal(token: string, scope: string, value: unknown, purpose: Exclude<SealPurpose, 'digest'> = 'seal'): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(token, purpose, scope), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/**
 * Opens what `seal` made with the same token, scope and purpose.
 * @throws Error when it was sealed otherwise, or altered
 */
export function unseal<T>(token: string, scope: string, sealed: string, purpose: Exclude<SealPurpose, 'digest'> = 'seal'): T {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 29) throw new Error('too short to be sealed');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(token, purpose, scope), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as T;
}
