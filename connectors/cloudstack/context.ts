import type { CloudStackApi } from './api-client';
import type { CloudStackSettings } from './settings';

/** Timings and sizes a test may shorten; the defaults suit a real cloud. */
export interface CloudStackTuning {
  /** Items per list page; must not exceed the server's `default.page.size` (500 by default). @default 500 */
  pageSize: number;
  /** How long a create waits for its deploy job before returning the VM as pending. @default 40000 */
  deployWaitMs: number;
  /** How long a terminate waits for its destroy job (and deleteImage for its deleteTemplate job). @default 30000 */
  destroyWaitMs: number;
  /** How long createImage waits for the VM to stop before answering NotReadyYetError. @default 40000 */
  stopWaitMs: number;
  /** Waits between job polls: short first (fast clouds), then the last one repeated. @default [1000, 2000, 3000] */
  pollDelaysMs: number[];
  /** Waits before the extra tries of a read that failed transiently. @default [300, 900] */
  readRetryDelaysMs: number[];
}

export const DEFAULT_TUNING: CloudStackTuning = {
  pageSize: 500,
  deployWaitMs: 40_000,
  destroyWaitMs: 30_000,
  stopWaitMs: 40_000,
  pollDelaysMs: [1000, 2000, 3000],
  readRetryDelaysMs: [300, 900],
};

/** What every cloudstack operation works with: one credential on one connector. */
export interface CloudStackContext {
  api: CloudStackApi;
  /** Connector name, for messages and cache keys. */
  connector: string;
  credentialId: string;
  /** Cache key of this connector's cloud: its name and endpoint. */
  cloudKey: string;
  /** The configured zone, a name or an id. */
  zone?: string;
  settings: CloudStackSettings;
  tuning: CloudStackTuning;
}
