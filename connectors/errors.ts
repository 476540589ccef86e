/**
 * Typed cloud errors. Every connector classifies each failure as one of these;
 * the state machines' Retry/Catch match them by `name`, so the names are constants.
 * Messages never carry secrets; the cloud's own error is kept in `cause`.
 */
export const CLOUD_ERROR = {
  transient: 'TransientCloudError',
  rateLimited: 'RateLimitedError',
  notReadyYet: 'NotReadyYetError',
  capacity: 'CloudCapacityError',
  quotaExceeded: 'CloudQuotaExceededError',
  permanent: 'PermanentCloudError',
} as const;

export type CloudErrorName = (typeof CLOUD_ERROR)[keyof typeof CLOUD_ERROR];

/** Errors a retry may cure: throttling, timeouts, 5xx, capacity, eventual consistency. */
export const RETRYABLE_CLOUD_ERRORS: readonly CloudErrorName[] = [CLOUD_ERROR.transient, CLOUD_ERROR.rateLimited, CLOUD_ERROR.notReadyYet];

export abstract class CloudError extends Error {
  abstract override readonly name: CloudErrorName;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Throttling aside, anything a retry may cure: timeouts, 5xx, capacity. */
export class TransientCloudError extends CloudError {
  override readonly name = CLOUD_ERROR.transient;
  readonly retryable = true;
}

/** The cloud asked us to slow down. */
export class RateLimitedError extends CloudError {
  override readonly name = CLOUD_ERROR.rateLimited;
  readonly retryable = true;
}

/** The resource is not visible yet (eventual consistency right after a create). */
export class NotReadyYetError extends CloudError {
  override readonly name = CLOUD_ERROR.notReadyYet;
  readonly retryable = true;
}

/**
 * The cloud has no room for the VM now ("No valid host was found", "insufficient
 * capacity"). Transient in kind, but retried only briefly so a run fails fast
 * instead of looping create/delete against a full cloud.
 */
export class CapacityError extends CloudError {
  override readonly name = CLOUD_ERROR.capacity;
  readonly retryable = true;
}

/** The cloud account's own limit is reached. */
export class CloudQuotaExceededError extends CloudError {
  override readonly name = CLOUD_ERROR.quotaExceeded;
  readonly retryable = false;
}

/** Bad credentials, unknown image, invalid request: retrying cannot help. */
export class PermanentCloudError extends CloudError {
  override readonly name = CLOUD_ERROR.permanent;
  readonly retryable = false;
}

export function isCloudError(error: unknown): error is CloudError {
  return error instanceof CloudError;
}
