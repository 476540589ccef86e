/**
 * API keys and run tokens: random, shown once, stored only as a SHA-256 hash.
 * (Keys carry 256 bits of entropy, so a fast hash is enough: nothing to brute-force.)
 * Webhook secrets (`whsec_`) are made the same way but stored sealed: Slipway signs with them.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newSecretToken(prefix: 'slw' | 'run' | 'whsec'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
