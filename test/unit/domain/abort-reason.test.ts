import { describe, expect, it } from 'vitest';
import { abortReason } from '#functions/domain/abort-reason';

describe('abortReason', () => {
  it.each([
    ['QuotaExceededError', 'Quota exceeded'],
    ['RunNotSatisfiableError', 'The run cannot be satisfied'],
    ['BootTimeoutError', 'Boot deadline passed'],
    ['PermanentCloudError', 'The cloud refused'],
    ['CloudQuotaExceededError', "The cloud account's limit is reached"],
    ['CloudCapacityError', 'The cloud has no capacity'],
    ['TransientCloudError', 'The cloud kept failing'],
    ['RateLimitedError', 'The cloud kept throttling'],
    ['NotReadyYetError', 'A VM never appeared in the cloud'],
    ['States.Timeout', 'A step timed out'],
  ])('labels %s as "%s"', (name, label) => {
    // Act
    const reason = abortReason({ Error: name, Cause: 'why' });
    // Assess
    expect(reason).toBe(`${label}: why`);
  });

  it("reads the message out of a Lambda error's JSON cause", () => {
    // Prepare
    const cause = JSON.stringify({ errorType: 'QuotaExceededError', errorMessage: 'quota exceeded on sim-eu', trace: ['at x'] });
    // Act
    const reason = abortReason({ Error: 'QuotaExceededError', Cause: cause });
    // Assess
    expect(reason).toBe('Quota exceeded: quota exceeded on sim-eu');
  });

  it('keeps a JSON cause that has no errorMessage string as it is', () => {
    // Act
    const reason = abortReason({ Error: 'PermanentCloudError', Cause: '{"errorMessage":42}' });
    // Assess
    expect(reason).toBe('The cloud refused: {"errorMessage":42}');
  });

  it('names an error it has no label for by its own name', () => {
    // Act
    const reason = abortReason({ Error: 'Lambda.Unknown', Cause: 'boom' });
    // Assess
    expect(reason).toBe('Lambda.Unknown: boom');
  });

  it('gives the label alone when there is no cause', () => {
    // Act
    const reasons = [abortReason({ Error: 'States.Timeout' }), abortReason({ Error: 'States.Timeout', Cause: '' })];
    // Assess
    expect(reasons).toEqual(['A step timed out', 'A step timed out']);
  });

  it('says "Error" when it knows nothing about the failure', () => {
    // Act
    const reason = abortReason(undefined);
    // Assess
    expect(reason).toBe('Error');
  });
});
