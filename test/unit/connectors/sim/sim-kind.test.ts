import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ConnectorConfig, ConnectorSession } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';
import { simKind } from '#connectors/sim/sim-kind';
import { documentClient } from '#functions/commons/clients';

const config: ConnectorConfig = { name: 'sim-1', kind: 'sim', maxIaasWorkers: 4, defaultQuotaVms: 10, settings: {} };
const session = (overrides: Partial<ConnectorSession> = {}): ConnectorSession => ({
  config,
  credentialId: 'cred-1',
  secrets: { apiKey: 'key', apiSecret: 'hunter2-very-secret' },
  ...overrides,
});
// Never called: opening a connector makes no request.
const deps = {
  table: { doc: documentClient(new DynamoDBClient({ region: 'us-east-1' })), name: 'unused' },
  now: () => new Date('2030-01-01T00:00:00Z'),
};

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the action to throw');
}

describe('simKind.open', () => {
  it('needs a table to keep its VMs in', () => {
    // Act
    const error = thrownBy(() => simKind.open(session(), { now: deps.now }));

    // Assess
    expect(error.message).toMatch(/needs a table client/);
  });

  it('refuses invalid settings with a permanent error naming them', () => {
    // Prepare
    const bad = session({ config: { ...config, settings: { bootSeconds: -5 } } });

    // Act
    const error = thrownBy(() => simKind.open(bad, deps));

    // Assess
    expect(error).toBeInstanceOf(PermanentCloudError);
    expect(error.message).toMatch(/bootSeconds/);
  });

  it('refuses a bad credential without echoing any secret', () => {
    // Prepare
    const bad = session({ secrets: { apiKey: '', apiSecret: 'hunter2-very-secret', extra: 'also-secret' } });

    // Act
    const error = thrownBy(() => simKind.open(bad, deps));

    // Assess
    expect(error).toBeInstanceOf(PermanentCloudError);
    expect(error.message).toMatch(/apiKey/);
    expect(error.message).not.toMatch(/hunter2|also-secret/);
    expect(error.cause).toBeUndefined();
  });
});

describe('sim lookups', () => {
  it('offers three sizes', async () => {
    // Prepare
    const connector = simKind.open(session(), deps);

    // Act
    const types = await connector.listInstanceTypes();

    // Assess
    expect(types.map((type) => type.id)).toEqual(['small', 'medium', 'large']);
    for (const type of types) expect(type).toEqual({ id: type.id, name: expect.any(String), cpu: expect.any(Number), ramMb: expect.any(Number) });
  });

  it('has one zone, named after the connector zone or sim-zone-1', async () => {
    // Act
    const named = await simKind.open(session({ config: { ...config, zone: 'ch-gva-2' } }), deps).listZones();
    const unnamed = await simKind.open(session(), deps).listZones();

    // Assess
    expect(named).toEqual([{ id: 'ch-gva-2', name: 'ch-gva-2' }]);
    expect(unnamed).toEqual([{ id: 'sim-zone-1', name: 'sim-zone-1' }]);
  });
});
