/**
 * Every EC2 failure becomes a typed cloud error: throttling, faults, capacity,
 * credentials, images, types and account limits, with no secret anywhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateInstanceRequest, RateBudget } from '#connectors/contract';
import { CLOUD_ERROR } from '#connectors/errors';
import {
  NO_INSTANCES,
  STUB_SECRETS,
  countingBudget,
  errorReply,
  fixtureReply,
  openOnStub,
  startEc2Stub,
  type Ec2Stub,
  type StubReply,
} from './support/ec2-stub';

let stub: Ec2Stub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

const request: CreateInstanceRequest = {
  tag: { run: 'run01', node: 'db', index: 1 },
  name: 'db.1',
  imageId: 'ami-be3adfd7',
  instanceType: 't9.nonsense',
  boot: { outputs: [], inputs: {}, readiness: 'running' },
};

/** The error a create gets when RunInstances answers `reply`. */
async function createFailingWith(reply: StubReply, budget?: RateBudget): Promise<Error & { cause?: unknown }> {
  stub = await startEc2Stub({ DescribeInstances: NO_INSTANCES, RunInstances: reply });
  const connector = openOnStub(stub, { budget });
  return connector.createInstance(request).then(
    () => {
      throw new Error('expected the create to fail');
    },
    (error: Error) => error,
  );
}

describe('ec2 error classification', () => {
  it('turns RequestLimitExceeded into RateLimitedError after one attempt, and tells the budget', async () => {
    // Prepare
    const budget = countingBudget();

    // Act
    const error = await createFailingWith(errorReply('RequestLimitExceeded', 'Request limit exceeded.', 503), budget);

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.rateLimited);
    expect(stub!.calls('RunInstances')).toHaveLength(1);
    expect(budget.throttles).toBe(1);
  });

  it('turns Throttling into RateLimitedError whatever the HTTP status', async () => {
    // Act
    const error = await createFailingWith(errorReply('Throttling', 'Rate exceeded', 400));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.rateLimited);
  });

  it('takes a budget token before every request, pages and look-ups included', async () => {
    // Prepare
    const budget = countingBudget();
    stub = await startEc2Stub({ DescribeInstances: NO_INSTANCES, RunInstances: fixtureReply('run_instances.xml') });
    const connector = openOnStub(stub, { budget });

    // Act
    await connector.createInstance({ ...request, instanceType: 'm1.small' });

    // Assess
    expect(stub.requests).toHaveLength(2);
    expect(budget.taken).toBe(2);
    expect(budget.throttles).toBe(0);
  });

  it.each([
    ['InternalError', 500],
    ['Unavailable', 503],
  ])('turns %s (HTTP %i) into TransientCloudError', async (code, status) => {
    // Act
    const error = await createFailingWith(errorReply(code, 'try again', status));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.transient);
    expect(error.message).toContain(code);
  });

  it('turns an HTML 500 page the SDK cannot parse into TransientCloudError', async () => {
    // Act
    const error = await createFailingWith({ status: 500, body: '<!doctype html><title>500 Internal Server Error</title>' });

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.transient);
  });

  it('turns a reply slower than the request timeout into TransientCloudError', async () => {
    // Act
    const error = await createFailingWith({ ...fixtureReply('run_instances.xml'), delayMs: 2_000 });

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.transient);
    expect(error.message).toMatch(/RunInstances .* timed out/);
  });

  it('turns InsufficientInstanceCapacity into CapacityError naming the type', async () => {
    // Act
    const error = await createFailingWith(errorReply('InsufficientInstanceCapacity', 'We currently do not have sufficient capacity.', 500));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.capacity);
    expect(error.message).toMatch(/^us-east-1 has no capacity for t9.nonsense/);
  });

  it.each(['InstanceLimitExceeded', 'VcpuLimitExceeded'])('turns %s into CloudQuotaExceededError', async (code) => {
    // Act
    const error = await createFailingWith(errorReply(code, 'You have requested more vCPU capacity than your current limit.'));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.quotaExceeded);
    expect(error.message).toContain('credential cred-ec2');
  });

  it.each([
    ['AuthFailure', 401],
    ['UnrecognizedClientException', 400],
    ['SignatureDoesNotMatch', 403],
  ])('turns %s into a permanent authentication error naming the credential, without the cloud message', async (code, status) => {
    // Act
    const error = await createFailingWith(errorReply(code, `The access key ${STUB_SECRETS.accessKeyId} is not valid`, status));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toMatch(new RegExp(`^authentication failed for credential cred-ec2: .*answered ${code}$`));
    expect(error.message).not.toContain(STUB_SECRETS.accessKeyId);
  });

  it('keeps the SDK error as a cause stripped of the HTTP response, with any secret redacted', async () => {
    // Act
    const error = await createFailingWith(errorReply('AuthFailure', `bad key ${STUB_SECRETS.accessKeyId} / ${STUB_SECRETS.secretAccessKey}`, 401));

    // Assess
    const cause = error.cause as Error & { $metadata?: { httpStatusCode?: number }; $response?: unknown };
    expect(cause.name).toBe('AuthFailure');
    expect(cause.$metadata?.httpStatusCode).toBe(401);
    expect(cause.$response).toBeUndefined();
    expect(JSON.stringify({ ...cause, message: cause.message })).not.toMatch(new RegExp(`${STUB_SECRETS.accessKeyId}|${STUB_SECRETS.secretAccessKey}`));
  });

  it.each([
    ['InvalidInstanceType', 'The instance type t9.nonsense is not supported'],
    ['Unsupported', 'The requested configuration is currently not supported.'],
    ['InvalidParameterValue', "Invalid value 't9.nonsense' for InstanceType."],
  ])('turns %s into a permanent error naming the instance type', async (code, message) => {
    // Act
    const error = await createFailingWith(errorReply(code, message));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toMatch(/^instance type t9.nonsense cannot be used in us-east-1/);
  });

  it('names a malformed AMI id as not valid', async () => {
    // Act
    const error = await createFailingWith(errorReply('InvalidAMIID.Malformed', 'Invalid id: "ami-be3adfd7"'));

    // Assess
    expect(error.message).toBe('image ami-be3adfd7 is not a valid AMI id in us-east-1 (InvalidAMIID.Malformed)');
  });

  it('refuses any other client error as permanent, quoting the cloud (describe_key_pairs_doesnt_exist.xml)', async () => {
    // Act
    const error = await createFailingWith(fixtureReply('describe_key_pairs_doesnt_exist.xml', 400));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toMatch(/^ec2 RunInstances on connector ec2-stub \(us-east-1\) was refused \(InvalidKeyPair.NotFound\): /);
  });
});
