/** Refusals only the HTTP layer makes (the domain's own errors are in functions/domain/errors.ts). */
import { DomainError } from '#functions/domain/errors';

/**
 * The Idempotency-Key was used before with another request (the IETF draft
 * "The Idempotency-Key HTTP Header Field": 422 for a key reused with a different payload).
 */
export class IdempotencyKeyReusedError extends DomainError {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly status = 422;
  readonly title = 'Idempotency-Key reused';
}

/** The body is larger than any resource needs. */
export class PayloadTooLargeError extends DomainError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly title = 'Payload too large';
}

/** The body is not JSON. */
export class UnsupportedMediaTypeError extends DomainError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly status = 415;
  readonly title = 'Unsupported media type';
}

/** The cloud refused a call Slipway made for the caller (bad credential, unknown id). */
export class CloudRefusedError extends DomainError {
  override readonly name = 'CloudRefusedError';
  readonly status = 502;
  readonly title = 'The cloud refused';
}

/** The cloud failed or throttled a call Slipway made for the caller: try again later. */
export class CloudUnavailableError extends DomainError {
  override readonly name = 'CloudUnavailableError';
  readonly status = 503;
  readonly title = 'The cloud is unavailable';
}
