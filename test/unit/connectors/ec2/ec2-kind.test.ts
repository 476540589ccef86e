/** Opening an ec2 connector: settings, secrets and region checked, nothing sent, no secret echoed. */
import { describe, expect, it } from 'vitest';
import type { ConnectorConfig, ConnectorSession } from '#connectors/contract';
import { ec2Kind } from '#connectors/ec2/ec2-kind';
import { CLOUD_ERROR } from '#connectors/errors';

const config: ConnectorConfig = { name: 'aws-use1', kind: 'ec2', region: 'us-east-1', maxIaasWorkers: 4, defaultQuotaVms: 10, settings: {} };
const secrets = { accessKeyId: 'AKIAKINDTEST00000001', secretAccessKey: 'kind-test-secret-never-shown' };
const session = (overrides: Partial<ConnectorSession> = {}): ConnectorSession => ({ config, credentialId: 'cred-1', secrets, ...overrides });
const deps = { now: () => new Date('2030-01-01T00:00:00Z') };

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the action to throw');
}

describe('ec2Kind', () => {
  it('accepts every documented setting', () => {
    // Act
    const parsed = ec2Kind.settingsSchema.safeParse({ subnetId: 'subnet-5fd9d412', securityGroupIds: ['sg-495a9926'], keyName: 'ops', requestsPerSecond: 5 });

    // Assess
    expect(parsed.success).toBe(true);
  });

  it('refuses unknown settings and ids of the wrong kind, naming each field', () => {
    // Act
    const parsed = ec2Kind.settingsSchema.safeParse({ subnetId: 'sg-495a9926', securityGroupIds: ['default'], zone: 'us-east-1a' });

    // Assess
    expect(parsed.error?.issues.map((issue) => issue.path.join('.') || issue.code).sort()).toEqual(['securityGroupIds.0', 'subnetId', 'unrecognized_keys']);
  });

  it('wants exactly an access key id and a secret access key', () => {
    // Act
    const missing = ec2Kind.secretsSchema.safeParse({ accessKeyId: 'AKIA' });
    const extra = ec2Kind.secretsSchema.safeParse({ ...secrets, sessionToken: 't' });

    // Assess
    expect(missing.success).toBe(false);
    expect(extra.success).toBe(false);
  });

  it('polls a few seconds apart', () => {
    // Act
    const seconds = ec2Kind.pollSeconds(config);

    // Assess
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThanOrEqual(5);
  });

  it('refuses bad secrets as an authentication failure that names the fields, not their values', () => {
    // Act
    const error = thrownBy(() => ec2Kind.open(session({ secrets: { accessKeyId: secrets.accessKeyId, secretAccessKey: '' } }), deps));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toBe('authentication failed for credential cred-1 on ec2 connector aws-use1: bad secretAccessKey');
  });

  it('refuses a connector without a region', () => {
    // Act
    const error = thrownBy(() => ec2Kind.open(session({ config: { ...config, region: undefined } }), deps));

    // Assess
    expect(error.name).toBe(CLOUD_ERROR.permanent);
    expect(error.message).toMatch(/aws-use1 has no region/);
  });

  it('refuses stored settings that are no longer valid, naming them', () => {
    // Act
    const error = thrownBy(() => ec2Kind.open(session({ config: { ...config, settings: { requestsPerSecond: -1 } } }), deps));

    // Assess
    expect(error.message).toMatch(/^ec2 connector aws-use1 has invalid settings: requestsPerSecond: /);
  });
});
