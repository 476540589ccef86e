/**
 * The fake's signature check, written from the server's side
 * (apache/cloudstack ApiServer.verifyRequest) and independently of the connector's
 * signer, so a wrong signer cannot pass against a fake that shares its mistake:
 * parameter names sorted as received (case-sensitive), the first value of each,
 * Java URLEncoder encoding with `+` as `%20`, lower-cased, HMAC-SHA1, base64.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** java.net.URLEncoder.encode(value, "UTF-8"): only `A-Z a-z 0-9 . - * _` stay, space becomes `+`. */
export function javaUrlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(char)) out += char;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The string the server signs, from the parameters as received (first value of each name). */
export function serverStringToSign(params: Map<string, string>): string {
  return [...params.keys()]
    .filter((name) => name.toLowerCase() !== 'signature')
    .sort()
    .map((name) => `${name}=${javaUrlEncode(params.get(name)!).replaceAll('+', '%20')}`)
    .join('&')
    .toLowerCase();
}

/** Why a request's signature is refused, or undefined when it is good. */
export function signatureProblem(params: Map<string, string>, secretKeyOf: (apiKey: string) => string | undefined, now: Date): string | undefined {
  const get = (name: string) => [...params.entries()].find(([key]) => key.toLowerCase() === name)?.[1];
  const apiKey = get('apikey');
  const signature = get('signature');
  if (!apiKey || !signature) return 'missing apikey or signature';
  const secret = secretKeyOf(apiKey);
  if (!secret) return 'unknown apikey';
  if (get('signatureversion') === '3') {
    const expires = get('expires');
    const at = expires ? Date.parse(expires.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : Number.NaN;
    if (Number.isNaN(at)) return 'signatureversion 3 without a valid expires';
    if (at < now.getTime()) return 'request expired';
  }
  const expected = createHmac('sha1', secret).update(serverStringToSign(params)).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'signature mismatch';
}
