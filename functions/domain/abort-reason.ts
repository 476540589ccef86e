/**
 * Turns a Step Functions error (`{Error, Cause}`) into the readable `abortReason`
 * a user sees. In AWS a Lambda error's Cause is a JSON document with the message
 * in `errorMessage`; locally it is the message itself.
 */
import { CLOUD_ERROR } from '#connectors/errors';
import { DOMAIN_ERROR } from './errors';

const LABELS: Record<string, string> = {
  [DOMAIN_ERROR.quotaExceeded]: 'Quota exceeded',
  [DOMAIN_ERROR.runNotSatisfiable]: 'The run cannot be satisfied',
  [DOMAIN_ERROR.bootTimeout]: 'Boot deadline passed',
  [DOMAIN_ERROR.scaleAbandoned]: 'Left unfinished',
  [CLOUD_ERROR.permanent]: 'The cloud refused',
  [CLOUD_ERROR.quotaExceeded]: "The cloud account's limit is reached",
  [CLOUD_ERROR.capacity]: 'The cloud has no capacity',
  [CLOUD_ERROR.transient]: 'The cloud kept failing',
  [CLOUD_ERROR.rateLimited]: 'The cloud kept throttling',
  [CLOUD_ERROR.notReadyYet]: 'A VM never appeared in the cloud',
  'States.Timeout': 'A step timed out',
};

export function abortReason(error: { Error?: string; Cause?: string } | undefined): string {
  const name = error?.Error ?? 'Error';
  let message = error?.Cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // a plain message
  }
  const label = LABELS[name] ?? name;
  return message ? `${label}: ${message}` : label;
}
