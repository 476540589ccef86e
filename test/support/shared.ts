/** Where `../shared` (docs, fixtures, peers) is: `SLIPWAY_SHARED_DIR`, else beside the repository. */
import { resolve } from 'node:path';

export const SHARED_DIR = process.env.SLIPWAY_SHARED_DIR ?? resolve(import.meta.dirname, '../../../shared');
export const FIXTURES_DIR = resolve(SHARED_DIR, 'fixtures');
export const PEERS_DIR = resolve(SHARED_DIR, 'peers');
