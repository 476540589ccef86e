/**
 * Domain errors. Each has a stable `name` (state machines match some of them) and
 * an HTTP status (the API maps them to problem+json).
 */
export interface FieldError {
  path: string;
  message: string;
}

export const DOMAIN_ERROR = {
  validation: 'ValidationError',
  unauthorized: 'UnauthorizedError',
  forbidden: 'ForbiddenError',
  notFound: 'NotFoundError',
  conflict: 'ConflictError',
  quotaExceeded: 'QuotaExceededError',
  runNotSatisfiable: 'RunNotSatisfiableError',
  bootTimeout: 'BootTimeoutError',
  runAborted: 'RunAborted',
  /** A scale whose execution ended before it did, rolled back by the execution sweep. */
  scaleAbandoned: 'ScaleAbandoned',
  /** An order whose every launch attempt failed: how its execution ends. */
  orderFailed: 'OrderFailed',
} as const;

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
}

export class ValidationError extends DomainError {
  override readonly name = DOMAIN_ERROR.validation;
  readonly status = 400;
  readonly title = 'Invalid request';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export class UnauthorizedError extends DomainError {
  override readonly name = DOMAIN_ERROR.unauthorized;
  readonly status = 401;
  readonly title = 'Unauthorized';
}

export class ForbiddenError extends DomainError {
  override readonly name = DOMAIN_ERROR.forbidden;
  readonly status = 403;
  readonly title = 'Forbidden';
}

export class NotFoundError extends DomainError {
  override readonly name = DOMAIN_ERROR.notFound;
  readonly status = 404;
  readonly title = 'Not found';
}

/** Stale `version`, a duplicate name, or a state that does not allow the request. */
export class ConflictError extends DomainError {
  override readonly name = DOMAIN_ERROR.conflict;
  readonly status = 409;
  readonly title = 'Conflict';
}

/** A user's quota on a connector would be exceeded. */
export class QuotaExceededError extends DomainError {
  override readonly name = DOMAIN_ERROR.quotaExceeded;
  readonly status = 409;
  readonly title = 'Quota exceeded';
}

/** The run cannot be carried out as asked (no native image id, no credential, …). */
export class RunNotSatisfiableError extends DomainError {
  override readonly name = DOMAIN_ERROR.runNotSatisfiable;
  readonly status = 422;
  readonly title = 'Run cannot be satisfied';
}

/** VMs did not become ready before the run's boot deadline. */
export class BootTimeoutError extends DomainError {
  override readonly name = DOMAIN_ERROR.bootTimeout;
  readonly status = 504;
  readonly title = 'Boot deadline passed';
}

/**
 * How FinalizeRun reports a run that ended Aborted: the task fails with this
 * error (never retried), so the execution fails with `RunAborted` and the run's
 * abortReason as its cause, which is what an operator reads in the console.
 */
export class RunAbortedError extends Error {
  override readonly name = DOMAIN_ERROR.runAborted;
  constructor(
    reason: string,
    /** True only for the call that ended the run (a repeat reports what it found). */
    readonly ended: boolean,
  ) {
    super(reason);
  }
}
