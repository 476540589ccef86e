/** Look-ups asked live of a connector's cloud, and the kinds with their schemas. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONNECTOR_KINDS } from '#connectors/contract';
import { describeKinds, lookUp } from '#functions/runs/connector-lookups';
import { launchRun } from '#test/runs/support/run-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));
vi.mock('#connectors/implementations', async (original) => (await import('#test/support/scripted-connector')).withScriptedImplementation(await original()));

let stack: StepStack;

beforeAll(async () => {
  stack = await startStepStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('lookUp', () => {
  it('answers each look-up from the matching call of the cloud, with the credential given', async () => {
    // Prepare: the sim has a catalogue that tells the three look-ups apart
    const { connector, credentialId } = await launchRun(stack, { kind: 'sim' });

    // Act
    const [images, types, zones] = [
      await lookUp(stack.deps, connector, credentialId!, 'images'),
      await lookUp(stack.deps, connector, credentialId!, 'instance-types'),
      await lookUp(stack.deps, connector, credentialId!, 'zones'),
    ];

    // Assess
    expect(images.map((i) => i.id)).toContain('sim-ubuntu-22.04');
    expect(types.map((t) => t.id)).toContain('small');
    expect(zones).toEqual([{ id: 'sim-zone-1', name: 'sim-zone-1' }]);
  });
});

describe('describeKinds', () => {
  it('gives every available kind with JSON Schemas of its settings and secrets', () => {
    // Act
    const kinds = describeKinds();

    // Assess
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining([...CONNECTOR_KINDS]));
    const sim = kinds.find((k) => k.kind === 'sim')!;
    expect(sim.settings).toMatchObject({ type: 'object', properties: { bootSeconds: { type: 'number' } } });
    expect(sim.secrets).toMatchObject({ type: 'object', required: ['apiKey', 'apiSecret'] });
  });
});
