/**
 * Turns a Step Functions error (`{Error, Cause}`) into the readable `abortReason`
 * a user sees. In AWS a Lambda error's Cause is a JSON document with the message
 * in `errorMessage`; locally it is the message itself.
 */
const LABELS: Record<string, string> = {
  QuotaExceededError: 'Quota exceeded',
  RunNotSatisfiableError: 'The run cannot be satisfied',
  PermanentCloudError: 'The cloud refused',
  CloudQuotaExceededError: "The cloud account's limit is reached",
  TransientCloudError: 'The cloud kept failing',
  RateLimitedError: 'The cloud kept throttling',
  NotReadyYetError: 'A VM never appeared in the cloud',
  BootTimeoutError: 'Boot deadline passed',
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
