import { ulid } from 'ulid';

/** Resource ids: a type prefix and a ULID (sortable, valid as a Step Functions execution name). */
export type IdPrefix = 'usr' | 'cred' | 'img' | 'dep' | 'run';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}
