/** The openstack kind's settings and secrets schemas, and opening a connector with bad ones. */
import { describe, expect, it } from 'vitest';
import { CLOUD_ERROR } from '#connectors/errors';
import { openstackKind } from '#connectors/openstack/openstack-kind';
import { openstackSecretsSchema, openstackSettingsSchema } from '#connectors/openstack/settings';

const config = {
  name: 'os-1',
  kind: 'openstack' as const,
  endpoint: 'https://keystone.example:5000/v3',
  region: 'RegionOne',
  maxIaasWorkers: 2,
  defaultQuotaVms: 10,
  settings: {},
};

describe('openstack settings and secrets', () => {
  it('accepts every documented setting', () => {
    // Prepare
    const given = { networkId: 'n', availabilityZone: 'nova', keyName: 'k', securityGroups: ['default'], requestsPerSecond: 5 };

    // Act
    const parsed = openstackSettingsSchema.parse(given);

    // Assess
    expect(parsed).toEqual(given);
  });

  it('rejects an unknown setting', () => {
    // Act
    const result = openstackSettingsSchema.safeParse({ networkIds: ['n'] });

    // Assess
    expect(result.success).toBe(false);
  });

  it('fills both domains with Default when left out', () => {
    // Act
    const secrets = openstackSecretsSchema.parse({ username: 'u', password: 'p', projectName: 'prj' });

    // Assess
    expect(secrets).toEqual({ username: 'u', password: 'p', projectName: 'prj', userDomainName: 'Default', projectDomainName: 'Default' });
  });

  it('refuses to open with a missing password, naming the field but no value', () => {
    // Act
    const open = () =>
      openstackKind.open({ config, credentialId: 'cred-9', secrets: { username: 'u', projectName: 'secret-project' } }, { now: () => new Date() });

    // Assess
    expect(open).toThrow(
      expect.objectContaining({ name: CLOUD_ERROR.permanent, message: expect.stringMatching(/authentication failed for credential cred-9.*password/) }),
    );
    expect(open).not.toThrow(/secret-project/);
  });

  it('refuses to open a connector without a Keystone endpoint', () => {
    // Act
    const open = () =>
      openstackKind.open(
        { config: { ...config, endpoint: undefined }, credentialId: 'c', secrets: { username: 'u', password: 'p', projectName: 'x' } },
        { now: () => new Date() },
      );

    // Assess
    expect(open).toThrow(/has no endpoint/);
  });

  it('polls every few seconds, as suits Nova', () => {
    // Act
    const seconds = openstackKind.pollSeconds(config);

    // Assess
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThanOrEqual(5);
  });
});
