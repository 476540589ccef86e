/**
 * Turns any failure of an EC2 call into a typed cloud error: a message a user can
 * act on (naming the image, type, region or credential at fault), the SDK's error
 * as `cause` with its request and response data dropped, and never a secret.
 */
import {
  CapacityError,
  CloudQuotaExceededError,
  PermanentCloudError,
  RateLimitedError,
  TransientCloudError,
  isCloudError,
  type CloudError,
} from '#connectors/errors';
import {
  AUTH_CODES,
  CAPACITY_CODES,
  INSTANCE_TYPE_CODES,
  NETWORK_CODES,
  PERMISSION_CODES,
  QUOTA_CODES,
  THROTTLING_CODES,
  TRANSIENT_CODES,
  errorCode,
} from './error-codes';

/** Where a call failed: what a message may name. */
export interface Ec2CallSite {
  /** The EC2 action, e.g. `RunInstances`. */
  operation: string;
  connector: string;
  region: string;
  credentialId: string;
  /** Values that must never appear in a message or a cause (the credential's keys). */
  secrets: readonly string[];
  imageId?: string;
  instanceType?: string;
}

/** A request that got no answer in time. */
const TIMEOUT_CODES = new Set(['TimeoutError', 'AbortError', 'ETIMEDOUT']);

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown; attempts?: unknown };
}

/** Classifies `error`; cloud errors pass through unchanged. */
export function toCloudError(error: unknown, site: Ec2CallSite): CloudError {
  if (isCloudError(error)) return error;
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const code = errorCode(error) ?? 'Error';
  const status = typeof sdk.$metadata?.httpStatusCode === 'number' ? sdk.$metadata.httpStatusCode : undefined;
  const said = quote(typeof sdk.message === 'string' ? sdk.message : String(error), site.secrets);
  const cause = { cause: cleanCause(error, code, site.secrets) };
  const call = `ec2 ${site.operation} on connector ${site.connector} (${site.region})`;

  if (THROTTLING_CODES.has(code)) return new RateLimitedError(`${call} was throttled by the cloud (${code})`, cause);
  if (CAPACITY_CODES.has(code)) {
    return new CapacityError(`${site.region} has no capacity for ${site.instanceType ?? 'the VM'} right now (${code})${said}`, cause);
  }
  if (QUOTA_CODES.has(code)) {
    return new CloudQuotaExceededError(`the EC2 account of credential ${site.credentialId} reached its limit in ${site.region} (${code})${said}`, cause);
  }
  // The cloud's words are left out: an authentication message may quote the access key id.
  if (AUTH_CODES.has(code)) return new PermanentCloudError(`authentication failed for credential ${site.credentialId}: ${call} answered ${code}`, cause);
  if (PERMISSION_CODES.has(code)) {
    return new PermanentCloudError(`credential ${site.credentialId} is not allowed to call ${site.operation} on connector ${site.connector} (${code})`, cause);
  }
  if (code.startsWith('InvalidAMIID.')) {
    const image = site.imageId ?? 'the image';
    const problem = code === 'InvalidAMIID.Malformed' ? 'is not a valid AMI id' : 'does not exist';
    return new PermanentCloudError(`image ${image} ${problem} in ${site.region} (${code})`, cause);
  }
  // Only a launch names a type; elsewhere these codes mean some other unsupported request.
  if (site.instanceType && (INSTANCE_TYPE_CODES.has(code) || (code === 'InvalidParameterValue' && /instance ?type/i.test(said)))) {
    return new PermanentCloudError(`instance type ${site.instanceType} cannot be used in ${site.region} (${code})${said}`, cause);
  }
  if (TRANSIENT_CODES.has(code) || NETWORK_CODES.has(code) || sdk.$fault === 'server' || (status !== undefined && status >= 500)) {
    // node-http-handler's timeout is a TimeoutError with code ETIMEDOUT; its own message only repeats that.
    if (TIMEOUT_CODES.has(code) || sdk.name === 'TimeoutError') return new TransientCloudError(`${call} timed out`, cause);
    return new TransientCloudError(`${call} failed (${status && code === 'Error' ? `HTTP ${status}` : code})${said}`, cause);
  }
  return new PermanentCloudError(`${call} was refused (${code})${said}`, cause);
}

/** The cloud's message as a suffix: first line, trimmed (EC2 pads it with newlines), bounded, secrets removed. */
function quote(message: string, secrets: readonly string[]): string {
  const line = redact(message, secrets).trim().split('\n')[0]?.trim() ?? '';
  if (!line) return '';
  return `: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`;
}

/** Real keys are 16+ characters; redacting a one-letter test secret would only garble the message. */
const MIN_REDACTED_LENGTH = 6;

function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= MIN_REDACTED_LENGTH).reduce((out, secret) => out.replaceAll(secret, '[redacted]'), text);
}

/**
 * A copy of the SDK error with only what explains it: name, message, fault and
 * status. The original holds the raw HTTP response (and, for socket errors, the
 * request with its signed headers).
 */
function cleanCause(error: unknown, code: string, secrets: readonly string[]): Error {
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const clean = new Error(redact(typeof sdk.message === 'string' ? sdk.message.trim() : String(error), secrets));
  clean.name = code;
  const meta = sdk.$metadata;
  return Object.assign(clean, {
    ...(sdk.$fault === undefined ? {} : { $fault: sdk.$fault }),
    ...(meta ? { $metadata: { httpStatusCode: meta.httpStatusCode, requestId: meta.requestId, attempts: meta.attempts } } : {}),
  });
}
