/**
 * CloudStack request signing (developer guide, "Signing API Requests"), written to
 * match how the server re-checks it (ApiServer.verifyRequest): every parameter
 * but `signature`, sorted by name, each value encoded as Java's URLEncoder does
 * (with `+` as `%20`), the whole string lower-cased, HMAC-SHA1 keyed with the
 * secret as given, base64.
 */
import { createHmac } from 'node:crypto';

/**
 * Encodes one value exactly as the server does before it compares signatures:
 * `encodeURIComponent` leaves `! ' ( ) ~` alone where Java escapes them; anything
 * else (`*` kept, space as `%20`) is already identical.
 */
export function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The string the signature covers. Names are expected in lower case (the client
 * sends them so), which makes this sort identical to the server's case-sensitive one.
 */
export function stringToSign(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name !== 'signature')
    .sort()
    .map((name) => `${name}=${encodeValue(params[name]!)}`)
    .join('&')
    .toLowerCase();
}

/** The base64 signature of `params` under `secretKey`. Never log it: it authorises the request. */
export function signParams(params: Record<string, string>, secretKey: string): string {
  return createHmac('sha1', secretKey).update(stringToSign(params)).digest('base64');
}

/**
 * `expires` in the form the server parses (`yyyy-MM-dd'T'HH:mm:ssZ`, e.g.
 * `2026-01-01T00:10:00+0000`), `ttlMs` after `now`.
 */
export function expiresAt(now: Date, ttlMs: number): string {
  return `${new Date(now.getTime() + ttlMs).toISOString().slice(0, 19)}+0000`;
}
