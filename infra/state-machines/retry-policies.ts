/**
 * Retry policies: every cloud call retries transient errors with exponential
 * backoff, full jitter and a cap on both the delay and the number of attempts.
 */
import { CLOUD_ERROR, RETRYABLE_CLOUD_ERRORS } from '#connectors/errors';

/** Errors of the Lambda service itself, which AWS recommends retrying on every Lambda task. */
const LAMBDA_SERVICE_ERRORS = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

export const lambdaServiceRetry = {
  ErrorEquals: LAMBDA_SERVICE_ERRORS,
  IntervalSeconds: 1,
  BackoffRate: 2,
  MaxAttempts: 3,
  MaxDelaySeconds: 10,
  JitterStrategy: 'FULL',
};

/** For creates and terminates: a slow cloud gets about five minutes of patience. */
export const cloudCallRetry = {
  ErrorEquals: [...RETRYABLE_CLOUD_ERRORS],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxAttempts: 8,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};

/** Rate limiting backs off longer before trying again. */
export const rateLimitRetry = {
  ErrorEquals: [CLOUD_ERROR.rateLimited],
  IntervalSeconds: 5,
  BackoffRate: 2,
  MaxAttempts: 6,
  MaxDelaySeconds: 120,
  JitterStrategy: 'FULL',
};

/**
 * A full cloud gets two more tries a little later, then the run fails fast instead
 * of looping create/delete against a cloud with no room.
 */
export const capacityRetry = {
  ErrorEquals: [CLOUD_ERROR.capacity],
  IntervalSeconds: 10,
  BackoffRate: 2,
  MaxAttempts: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL',
};

/** Order matters: Step Functions uses the first retrier whose ErrorEquals matches. */
export const cloudTaskRetries = [rateLimitRetry, capacityRetry, cloudCallRetry, lambdaServiceRetry];
export const plainTaskRetries = [lambdaServiceRetry];

/** Seconds any single task may take before Step Functions gives up on it. */
export const TASK_TIMEOUT_SECONDS = 120;
