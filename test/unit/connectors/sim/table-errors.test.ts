import { describe, expect, it } from 'vitest';
import { PermanentCloudError, TransientCloudError } from '#connectors/errors';
import { tableCall, toCloudError } from '#connectors/sim/table-errors';

/** An error shaped like the AWS SDK's service exceptions. */
function sdkError(name: string, fault: 'client' | 'server', httpStatusCode: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $fault: fault, $metadata: { httpStatusCode } });
}

describe('toCloudError', () => {
  it.each([
    ['ProvisionedThroughputExceededException', 'client', 400],
    ['ThrottlingException', 'client', 400],
    ['InternalServerError', 'server', 500],
    ['ServiceUnavailable', 'server', 503],
    ['SomethingNew', 'server', 502],
  ] as const)('classifies %s as transient', (name, fault, status) => {
    // Prepare
    const cause = sdkError(name, fault, status);

    // Act
    const error = toCloudError('list instances', cause);

    // Assess
    expect(error).toBeInstanceOf(TransientCloudError);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('list instances');
  });

  it('classifies a refused connection as transient', () => {
    // Act
    const error = toCloudError('read', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    // Assess
    expect(error).toBeInstanceOf(TransientCloudError);
  });

  it('classifies a client error such as a bad request as permanent', () => {
    // Act
    const error = toCloudError('read', sdkError('ValidationException', 'client', 400));

    // Assess
    expect(error).toBeInstanceOf(PermanentCloudError);
  });

  it('passes a cloud error through unchanged', () => {
    // Prepare
    const original = new TransientCloudError('injected');

    // Act
    const error = toCloudError('create', original);

    // Assess
    expect(error).toBe(original);
  });
});

describe('tableCall', () => {
  it('throws the classified error when the call fails', async () => {
    // Act
    const call = tableCall('terminate', () => Promise.reject(sdkError('ThrottlingException', 'client', 400)));

    // Assess
    await expect(call).rejects.toBeInstanceOf(TransientCloudError);
  });
});
