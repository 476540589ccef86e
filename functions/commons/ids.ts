import { createHash } from 'node:crypto';
import { ulid } from 'ulid';

/** Resource ids: a type prefix and a ULID (sortable, valid as a Step Functions execution name); events and deliveries are derived (`idFrom`). */
export type IdPrefix = 'usr' | 'cred' | 'img' | 'dep' | 'run' | 'whk' | 'evt' | 'dlv' | 'prd' | 'sto' | 'ord' | 'bld' | 'scl';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * An id derived from `seed` (e.g. the caller and their Idempotency-Key): the same seed
 * always gives the same id, of the same shape as `newId`'s, so a create retried after
 * a crash that lost its idempotency record finds the resource the first attempt made.
 */
export function idFrom(prefix: IdPrefix, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < 26; i++) id += CROCKFORD[digest[i]! % 32];
  return `${prefix}_${id}`;
}
