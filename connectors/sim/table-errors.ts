/**
 * The sim's "cloud API" is the table, so the table's failures are the cloud's
 * failures: throttling, timeouts and 5xx are transient, anything else permanent.
 * The SDK error is kept as `cause`; messages name the operation, never a secret.
 */
import { PermanentCloudError, TransientCloudError, isCloudError } from '#connectors/errors';

/** Throttling and timeout error names, as smithy's error classification lists them for AWS services. */
const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
  'TooManyRequestsException',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Node socket errors: the request may not even have reached the table. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** True when a retry of the same table call may succeed. */
export function isTransientTableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const sdk = error as SdkErrorShape;
  if (typeof sdk.name === 'string' && TRANSIENT_NAMES.has(sdk.name)) return true;
  if (typeof sdk.code === 'string' && NETWORK_CODES.has(sdk.code)) return true;
  if (sdk.$fault === 'server') return true;
  const status = sdk.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}

/** Turns any failure of a table call into a typed cloud error (cloud errors pass through). */
export function toCloudError(operation: string, error: unknown): Error {
  if (isCloudError(error)) return error;
  const name = error instanceof Error ? error.name : 'unknown error';
  const message = `sim: ${operation} failed (${name})`;
  return isTransientTableError(error)
    ? new TransientCloudError(message, { cause: error })
    : new PermanentCloudError(message, { cause: error });
}

/** Runs one call to the table, classifying its failure. */
export async function tableCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toCloudError(operation, error);
  }
}
