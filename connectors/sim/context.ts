import type { TableClient } from '#functions/store/table-client';
import type { SimSettings } from './settings';
import type { SimAccount } from './vm-item';

/** What every sim operation works with: one account of one connector, its settings, the table and the clock. */
export interface SimContext {
  where: SimAccount;
  settings: SimSettings;
  table: TableClient;
  now: () => Date;
}
