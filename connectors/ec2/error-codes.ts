/**
 * EC2's error codes, grouped by what Slipway does about them. Sources:
 * smithy-typescript `service-error-classification/constants.ts` (what the SDK
 * itself treats as throttling or transient) and the EC2 API reference's
 * "Error codes" page (../shared/docs/cloud-apis.md §4.6).
 */

/** The cloud asked us to slow down. */
export const THROTTLING_CODES = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'RequestThrottledException',
  'EC2ThrottledException',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'SlowDown',
  'ThrottledException',
  'TooManyRequestsException',
]);

/** A retry may succeed: the cloud failed, or the request never got an answer. */
export const TRANSIENT_CODES = new Set([
  'InternalError',
  'InternalFailure',
  'Unavailable',
  'ServiceUnavailable',
  'ServerInternal',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
  // Clock skew: the SDK corrects its clock offset from the reply, so the next attempt is signed right.
  'RequestExpired',
  // The instance is between states; it settles within seconds.
  'IncorrectInstanceState',
]);

/** Node socket errors: the request may not even have reached the cloud. */
export const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/** No room for the VM right now (a server error in EC2's own terms). */
export const CAPACITY_CODES = new Set([
  'InsufficientInstanceCapacity',
  'InsufficientAddressCapacity',
  'InsufficientHostCapacity',
  'InsufficientReservedInstanceCapacity',
  'InsufficientCapacity',
]);

/** The account's own limits at the cloud. */
export const QUOTA_CODES = new Set(['InstanceLimitExceeded', 'VcpuLimitExceeded', 'MaxSpotInstanceCountExceeded', 'ResourceLimitExceeded']);

/** The keys are wrong (unknown key id, wrong secret, or a signature the cloud cannot verify). */
export const AUTH_CODES = new Set([
  'AuthFailure',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'OptInRequired',
  'Blocked',
]);

/** The keys are right but lack the permission (IAM policy). moto answers AccessDenied where EC2 says UnauthorizedOperation. */
export const PERMISSION_CODES = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);

/** Codes that say the instance type is wrong for this region, AMI or account. */
export const INSTANCE_TYPE_CODES = new Set(['InvalidInstanceType', 'InvalidInstanceType.NotFound', 'Unsupported', 'UnsupportedOperation']);

/** A launch token was used by an instance that is terminated since: a new token is needed. */
export const TOKEN_OF_TERMINATED = 'IdempotentInstanceTerminated';

/** The instance does not exist (or no longer does). */
export const INSTANCE_NOT_FOUND = 'InvalidInstanceID.NotFound';

/** The error's code as the SDK names it (`name`, or Node's `code` for socket errors). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  return typeof name === 'string' ? name : undefined;
}

/** True for a throttling reply, whatever its HTTP status. */
export function isThrottling(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && THROTTLING_CODES.has(code);
}

/** The AMI does not exist: never did (`NotFound`), is deregistered (`Unavailable`), or cannot be an AMI id (`Malformed`). */
export const IMAGE_NOT_FOUND_CODES = new Set(['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable', 'InvalidAMIID.Malformed']);

/** CreateImage with a name the account already holds: AMI names are unique per account and region. */
export const IMAGE_NAME_TAKEN = 'InvalidAMIName.Duplicate';

/** The instance cannot be imaged in the state it is in (pending, or going away). */
export const WRONG_INSTANCE_STATE_CODES = new Set(['IncorrectInstanceState', 'IncorrectState']);

/** The instance id names no instance. */
export const INSTANCE_ID_INVALID_CODES = new Set([INSTANCE_NOT_FOUND, 'InvalidInstanceID.Malformed']);

/** A snapshot DeleteSnapshot need not (or may not) delete: gone already, or used by another AMI. */
export const SNAPSHOT_LEFT_ALONE_CODES = new Set(['InvalidSnapshot.NotFound', 'InvalidSnapshot.InUse']);
