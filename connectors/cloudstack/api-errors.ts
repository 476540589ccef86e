/**
 * Classifies every CloudStack failure (an error body, an HTTP status, a failed
 * async job) as one of Slipway's typed cloud errors, by the server's `errorcode`
 * (ApiErrorCode.java), its `cserrorcode` (the Java exception) and, where codes are
 * too coarse, its `errortext`. The message names what the user can fix; the
 * cloud's own words stay in `cause`. Nothing here ever sees a secret.
 */
import { CapacityError, CloudQuotaExceededError, PermanentCloudError, RateLimitedError, TransientCloudError, type CloudError } from '#connectors/errors';
import { truncate } from '#connectors/commons/http';

/** One failure as the cloud reported it. */
export interface ApiFailure {
  /** Names the call, e.g. `deployVirtualMachine` or `job 17177 (deployVirtualMachine)`. */
  what: string;
  /** HTTP status; CloudStack sends the errorcode as status, a proxy may send its own. */
  status: number;
  errorcode?: number;
  cserrorcode?: number;
  errortext?: string;
}

/** What the call was about, so a message can name the field to fix. */
export interface FailureContext {
  connector: string;
  credentialId: string;
  imageId?: string;
  zone?: string;
  offering?: string;
}

/** Codes that mean the key pair, its signature or its rights were refused (432/422: action not allowed to this user). */
const AUTH_CODES = new Set([401, 403, 411, 432]);
/** Insufficient{Server,Address,Storage}Capacity exceptions. */
const CAPACITY_CS_CODES = new Set([4325, 4330, 4335, 4340]);
/** INTERNAL, RESOURCE_UNAVAILABLE, RESOURCE_ALLOCATION, RESOURCE_IN_USE: a later try may pass. */
const RETRYABLE_CODES = new Set([530, 534, 535, 536]);

/** The typed error for `failure`. */
export function classifyFailure(failure: ApiFailure, ctx: FailureContext): CloudError {
  const code = failure.errorcode ?? failure.status;
  const text = failure.errortext ?? '';
  const cs = failure.cserrorcode === undefined ? '' : `, cserrorcode ${failure.cserrorcode}`;
  const cause = new Error(`HTTP ${failure.status}, errorcode ${code}${cs}: ${text || '(no error text)'}`);
  const said = text ? `: ${truncate(text)}` : '';
  const where = `cloudstack connector ${ctx.connector}`;
  const call = `(${failure.what}: errorcode ${code})`;

  if (AUTH_CODES.has(code) || failure.status === 401) {
    return new PermanentCloudError(`authentication failed for credential ${ctx.credentialId} on ${where} ${call}${said}`, { cause });
  }
  if (code === 429 || /throttl|api limit/i.test(text)) return new RateLimitedError(`${where} throttled ${failure.what}${said}`, { cause });
  if (code === 533 || CAPACITY_CS_CODES.has(failure.cserrorcode ?? 0) || /insufficient\s*\w*\s*capacity/i.test(text)) {
    return new CapacityError(`${where} has no capacity for the VM now ${call}${said}`, { cause });
  }
  if (code === 532 || (code === 535 && /limit|exceeded/i.test(text))) {
    return new CloudQuotaExceededError(`the account's resource limit is reached on ${where} ${call}${said}`, { cause });
  }
  if (code === 431 && ctx.imageId && /template/i.test(text)) {
    return new PermanentCloudError(`image ${ctx.imageId} is unknown or unusable in zone ${ctx.zone ?? '(default)'} of ${where} ${call}${said}`, { cause });
  }
  if (code === 431 && ctx.offering && /offering/i.test(text)) {
    return new PermanentCloudError(`service offering ${ctx.offering} is unknown on ${where} ${call}${said}`, { cause });
  }
  if (RETRYABLE_CODES.has(code) || failure.status >= 500 || failure.status === 408) {
    return new TransientCloudError(`${where} failed ${failure.what} ${call}${said}`, { cause });
  }
  return new PermanentCloudError(`${where} refused ${failure.what} ${call}${said}`, { cause });
}
