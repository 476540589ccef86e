/** How every CloudStack failure is classified (ApiErrorCode.java codes, cloud-apis.md §1.6). */
import { describe, expect, it } from 'vitest';
import { classifyFailure, type ApiFailure } from '#connectors/cloudstack/api-errors';
import { CLOUD_ERROR } from '#connectors/errors';

const ctx = { connector: 'exo-gva', credentialId: 'cred_01j', imageId: 'tpl-123', zone: 'CH-GV2', offering: 'Micro' };
const failure = (errorcode: number | undefined, errortext?: string, status = errorcode ?? 500): ApiFailure => ({
  what: 'deployVirtualMachine',
  status,
  errorcode,
  errortext,
});

describe('cloudstack error classification', () => {
  it.each([
    ['401 (bad key or signature)', failure(401, 'unable to verify user credentials and/or request signature')],
    ['432 (action not allowed to this user)', failure(432, 'The given command does not exist or it is not available for user')],
  ])('treats %s as a permanent authentication failure naming the credential', (_, given) => {
    // Act
    const error = classifyFailure(given, ctx);

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toMatch(/^authentication failed for credential cred_01j on cloudstack connector exo-gva/);
  });

  it('treats 429 (API_LIMIT_EXCEED) as throttling', () => {
    // Act
    const error = classifyFailure(failure(429, 'You have exceeded the allowed API call rate'), ctx);

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.rateLimited);
  });

  it.each([
    ['errorcode 533', failure(533, 'Unable to create a deployment for VM')],
    ['an "Insufficient capacity" text under 530', failure(530, 'Insufficient capacity to deploy the VM')],
    ['cserrorcode 4325 under 530', { ...failure(530, 'Unable to deploy'), cserrorcode: 4325 }],
  ])('treats %s as a capacity error', (_, given) => {
    // Act
    const error = classifyFailure(given, ctx);

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.capacity);
  });

  it.each([
    ['532 (ACCOUNT_RESOURCE_LIMIT_ERROR)', failure(532, 'Account resource limit reached')],
    ['535 with a limit text', failure(535, "Maximum number of resources of type 'user_vm' for account name=a in domain id=1 has been exceeded.")],
  ])("treats %s as the cloud account's quota", (_, given) => {
    // Act
    const error = classifyFailure(given, ctx);

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.quotaExceeded);
  });

  it('names the image and the zone when a deploy is refused with 431 for its template', () => {
    // Act
    const error = classifyFailure(failure(431, 'Invalid parameter templateid value=tpl-123 due to incorrect long value format, or entity does not exist'), ctx);

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toMatch(/^image tpl-123 is unknown or unusable in zone CH-GV2/);
  });

  it.each([
    ['530 INTERNAL_ERROR', failure(530, 'Internal error executing command')],
    ['535 without a limit text', failure(535, 'Unable to allocate resource')],
    ['a bare HTTP 503 from a proxy', failure(undefined, undefined, 503)],
  ])('treats %s as transient', (_, given) => {
    // Act
    const error = classifyFailure(given, ctx);

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.transient);
  });

  it("keeps the cloud's errortext in the cause", () => {
    // Act
    const error = classifyFailure({ ...failure(431, 'Unable to find service offering: 104'), cserrorcode: 4350 }, ctx);

    // Assess
    expect((error.cause as Error).message).toBe('HTTP 431, errorcode 431, cserrorcode 4350: Unable to find service offering: 104');
  });
});
