/**
 * One HTTP call to a cloud: a request timeout on every call, the rate budget taken
 * first, and every failure turned into a typed cloud error whose message a user
 * can read and whose `cause` keeps the cloud's own words. Never puts a request
 * body or header (where secrets travel) into an error.
 */
import type { RateBudget } from '#connectors/contract';
import { PermanentCloudError, RateLimitedError, TransientCloudError, type CloudError } from '#connectors/errors';

/** @default 15 s: long enough for a slow cloud API, short enough to retry within a step. */
export const DEFAULT_TIMEOUT_MS = 15_000;

export interface CloudRequest {
  /** Names the call in errors, e.g. `openstack POST /servers`. */
  what: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  budget?: RateBudget;
}

export interface CloudResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Sends the request; answers any HTTP status (the caller classifies bodies it
 * understands better). Network failures and timeouts become TransientCloudError.
 */
export async function cloudFetch(request: CloudRequest): Promise<CloudResponse> {
  await request.budget?.take();
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const reason = timedOut ? `timed out after ${timeoutMs} ms` : 'could not reach the cloud';
    throw new TransientCloudError(`${request.what} ${reason}`, { cause: stripSecrets(error) });
  }
  const text = await response.text();
  if (response.status === 429 || response.status === 503) await request.budget?.throttled();
  return { status: response.status, headers: response.headers, text };
}

/**
 * The typed error for an HTTP failure status, by the classes every cloud shares:
 * 429 throttling, 5xx and 408 transient, 401/403 authentication, the rest permanent.
 * `detail` is the cloud's own message (kept as the cause and quoted in the message).
 */
export function errorForStatus(what: string, status: number, detail: string, hints: { credential?: string } = {}): CloudError {
  const cause = new Error(`HTTP ${status}: ${detail}`);
  const quoted = detail ? `: ${truncate(detail)}` : '';
  if (status === 429) return new RateLimitedError(`${what} was throttled by the cloud${quoted}`, { cause });
  if (status === 408 || status >= 500) return new TransientCloudError(`${what} failed with HTTP ${status}${quoted}`, { cause });
  if (status === 401 || status === 403) {
    const credential = hints.credential ? ` for credential ${hints.credential}` : '';
    return new PermanentCloudError(`authentication failed${credential} (${what}: HTTP ${status})${quoted}`, { cause });
  }
  return new PermanentCloudError(`${what} was refused with HTTP ${status}${quoted}`, { cause });
}

/** Cloud messages can be long HTML pages; a user needs the first line. */
export function truncate(text: string, max = 300): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** fetch errors can carry the request (with its headers) in their cause: keep only name and message. */
function stripSecrets(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const clean = new Error(error.message);
  clean.name = error.name;
  return clean;
}
