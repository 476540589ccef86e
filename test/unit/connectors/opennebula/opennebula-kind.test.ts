/** The kind's schemas and the checks `open` makes before any call. */
import { describe, expect, it } from 'vitest';
import { opennebulaKind } from '#connectors/opennebula/opennebula-kind';

const config = {
  name: 'one-eu',
  kind: 'opennebula' as const,
  endpoint: 'http://127.0.0.1:9/RPC2',
  maxIaasWorkers: 2,
  defaultQuotaVms: 10,
  settings: {},
};
const open =
  (overrides: Partial<typeof config> = {}, secrets: Record<string, string> = { username: 'alice', password: 'pw-123' }) =>
  () =>
    opennebulaKind.open({ config: { ...config, ...overrides }, credentialId: 'cred-9', secrets }, { now: () => new Date() });

describe('opennebula kind', () => {
  it('accepts networkId and requestsPerSecond, both optional', () => {
    // Act
    const empty = opennebulaKind.settingsSchema.safeParse({});
    const full = opennebulaKind.settingsSchema.safeParse({
      networkId: 0,
      requestsPerSecond: 5,
    });

    // Assess
    expect(empty.success).toBe(true);
    expect(full).toMatchObject({
      success: true,
      data: { networkId: 0, requestsPerSecond: 5 },
    });
  });

  it('refuses unknown settings and a network id that is not a whole number', () => {
    // Act
    const result = opennebulaKind.settingsSchema.safeParse({
      networkId: 'public',
      zone: 'x',
    });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.') || i.code)).toEqual(expect.arrayContaining(['networkId', 'unrecognized_keys']));
  });

  it('wants exactly username and password in a credential', () => {
    // Act
    const good = opennebulaKind.secretsSchema.safeParse({
      username: 'alice',
      password: 'pw',
    });
    const extra = opennebulaKind.secretsSchema.safeParse({
      username: 'alice',
      password: 'pw',
      token: 't',
    });
    const missing = opennebulaKind.secretsSchema.safeParse({
      username: 'alice',
    });

    // Assess
    expect([good.success, extra.success, missing.success]).toEqual([true, false, false]);
  });

  it('refuses to open without an endpoint, saying what the endpoint is', () => {
    // Act
    const opening = open({ endpoint: undefined as unknown as string });

    // Assess
    expect(opening).toThrow(/one-eu has no endpoint \(its XML-RPC URL/);
  });

  it('refuses a credential without a password as an authentication error that names the field, not a value', () => {
    // Act
    const opening = open({}, { username: 'alice-secret-name', password: '' });

    // Assess
    expect(opening).toThrow(/^authentication failed for credential cred-9 on opennebula connector one-eu: bad password$/);
  });

  it('polls a booting VM every 4 seconds', () => {
    // Act
    const seconds = opennebulaKind.pollSeconds(config);

    // Assess
    expect(seconds).toBe(4);
  });
});
