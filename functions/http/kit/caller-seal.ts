/**
 * What an idempotency record keeps about a request and its response, readable only
 * with the caller's API key: the request as an HMAC (a credential's secrets are
 * never stored, not even as a plain hash that a guess could be checked against),
 * the response sealed with AES-256-GCM (a new user's API key is in it).
 * Keys are derived from the bearer token, which the table holds only as a hash.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const keyFor = (token: string, purpose: 'digest' | 'seal', scope: string) =>
  Buffer.from(hkdfSync('sha256', token, 'slipway-idempotency', `${purpose}#${scope}`, 32));

/** Sorted keys, so the same JSON in another key order digests the same. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
      : value;

/** HMAC-SHA256 of `value` under the caller's token. */
export function requestDigest(token: string, scope: string, value: unknown): string {
  return createHmac('sha256', keyFor(token, 'digest', scope)).update(JSON.stringify(canonical(value ?? null))).digest('base64url');
}

/** `value` as JSON, sealed under the caller's token: base64url of iv | tag | ciphertext. */
export function seal(token: string, scope: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(token, 'seal', scope), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Opens what `seal` made with the same token and scope. */
export function unseal<T>(token: string, scope: string, sealed: string): T {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(token, 'seal', scope), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as T;
}
