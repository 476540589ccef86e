import { describe, expect, it } from 'vitest';
import type { ConnectorConfig } from '#connectors/contract';
import { simPollSeconds, simSecretsSchema, simSettingsSchema } from '#connectors/sim/settings';

const config = (settings: Record<string, unknown>): ConnectorConfig => ({
  name: 'sim-1',
  kind: 'sim',
  maxIaasWorkers: 4,
  defaultQuotaVms: 10,
  settings,
});

describe('simSettingsSchema', () => {
  it('fills every setting left out with its default', () => {
    // Act
    const settings = simSettingsSchema.parse({});

    // Assess
    expect(settings).toEqual({ bootSeconds: 5, transientFailureRate: 0, permanentFailureRate: 0, seed: 1 });
  });

  it('keeps the settings an admin gives', () => {
    // Prepare
    const given = { bootSeconds: 0, transientFailureRate: 0.25, permanentFailureRate: 1, seed: -3 };

    // Act
    const settings = simSettingsSchema.parse(given);

    // Assess
    expect(settings).toEqual(given);
  });

  it('rejects every bad setting at once, unknown keys included', () => {
    // Prepare
    const bad = { bootSeconds: -1, transientFailureRate: 1.5, permanentFailureRate: -0.1, seed: 1.5, colour: 'red' };

    // Act
    const result = simSettingsSchema.safeParse(bad);

    // Assess
    expect(result.success).toBe(false);
    const paths = result.error?.issues.flatMap((issue) => (issue.path.length ? issue.path.map(String) : issue.code === 'unrecognized_keys' ? issue.keys : []));
    expect(new Set(paths)).toEqual(new Set(['bootSeconds', 'transientFailureRate', 'permanentFailureRate', 'seed', 'colour']));
  });
});

describe('simSecretsSchema', () => {
  it('accepts a non-empty API key pair', () => {
    // Act
    const result = simSecretsSchema.safeParse({ apiKey: 'k', apiSecret: 's' });

    // Assess
    expect(result.success).toBe(true);
  });

  it('rejects an empty secret and any extra field', () => {
    // Act
    const empty = simSecretsSchema.safeParse({ apiKey: 'k', apiSecret: '' });
    const extra = simSecretsSchema.safeParse({ apiKey: 'k', apiSecret: 's', password: 'p' });

    // Assess
    expect(empty.success).toBe(false);
    expect(extra.success).toBe(false);
  });
});

describe('simPollSeconds', () => {
  it('looks first when the VMs are due to be up: after the boot time', () => {
    // Act
    const seconds = simPollSeconds(config({ bootSeconds: 8 }));
    const fractional = simPollSeconds(config({ bootSeconds: 2.5 }));

    // Assess
    expect(seconds).toBe(8);
    expect(fractional).toBe(3);
  });

  it('waits at least a second before the first look', () => {
    // Act
    const instant = simPollSeconds(config({ bootSeconds: 0 }));

    // Assess
    expect(instant).toBe(1);
  });

  it('uses the default boot time when the settings leave it out or are invalid', () => {
    // Act
    const unset = simPollSeconds(config({}));
    const invalid = simPollSeconds(config({ bootSeconds: 'slow' }));

    // Assess
    expect(unset).toBe(5);
    expect(invalid).toBe(5);
  });
});
