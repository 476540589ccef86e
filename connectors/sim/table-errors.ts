/**
 * The sim's "cloud API" is the table, so the table's failures are the cloud's
 * failures: throttling, timeouts and 5xx are transient, anything else permanent.
 * The SDK error is kept as `cause`; messages name the operation, never a secret.
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import type { SdkError } from '@smithy/types';
import { PermanentCloudError, TransientCloudError, isCloudError } from '#connectors/errors';

/**
 * True when a retry of the same table call may succeed: the SDK's own classification
 * (throttling, transient and server errors, as its retry strategy decides).
 */
export function isTransientTableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const sdk = error as SdkError;
  return isThrottlingError(sdk) || isTransientError(sdk) || isServerError(sdk);
}

/** Turns any failure of a table call into a typed cloud error (cloud errors pass through). */
export function toCloudError(operation: string, error: unknown): Error {
  if (isCloudError(error)) return error;
  const name = error instanceof Error ? error.name : 'unknown error';
  const message = `sim: ${operation} failed (${name})`;
  return isTransientTableError(error) ? new TransientCloudError(message, { cause: error }) : new PermanentCloudError(message, { cause: error });
}

/** Runs one call to the table, classifying its failure. */
export async function tableCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toCloudError(operation, error);
  }
}

/** Cancellation reasons a new try of a transaction may get past; any other means the request itself is wrong. */
const RETRYABLE_CANCELLATIONS = new Set(['None', 'ConditionalCheckFailed', 'TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/** True when a cancelled transaction may succeed on a new try (a guard held, or a concurrent write collided). */
export function isRetryableCancellation(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.every((reason) => RETRYABLE_CANCELLATIONS.has(reason.Code ?? 'None'));
}
