import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PermanentCloudError } from '#connectors/errors';
import { openConnector, requestsPerSecond } from '#functions/runs/open-connector';
import { deleteConnector } from '#functions/store/connectors';
import { deleteCredential } from '#functions/store/credentials';
import { launchRun, rejectionOf } from '#test/runs/support/run-world';
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

describe('openConnector', () => {
  it("opens the connector's kind with its configuration, the credential id and the credential's secrets", async () => {
    // Prepare
    const { connector, credentialId, cloud } = await launchRun(stack, { settings: { pollSeconds: 3 } });
    // Act
    const opened = await openConnector(stack.deps, connector, credentialId!);
    // Assess
    expect(opened.config).toMatchObject({ name: connector, kind: 'scripted', settings: { pollSeconds: 3 } });
    expect(cloud.sessions).toEqual([{ config: opened.config, credentialId, secrets: { apiKey: 'key', apiSecret: 'secret' } }]);
    expect(opened.budget).toBeUndefined();
  });

  it('shares a request budget when the connector sets requestsPerSecond', async () => {
    // Prepare
    const { connector, credentialId } = await launchRun(stack, { settings: { requestsPerSecond: 50 } });
    // Act
    const opened = await openConnector(stack.deps, connector, credentialId!);
    // Assess
    expect(opened.budget).toBeDefined();
    expect(opened.budget!.waitedMs()).toBe(0);
  });

  it('fails for good when the connector was deleted', async () => {
    // Prepare
    const { connector, credentialId, owner } = await launchRun(stack);
    await deleteCredential(stack.deps.table, { id: credentialId!, owner, connector });
    await deleteConnector(stack.deps.table, connector);
    // Act
    const error = await rejectionOf(openConnector(stack.deps, connector, credentialId!));
    // Assess
    expect(error).toBeInstanceOf(PermanentCloudError);
    expect(error.message).toBe(`connector ${connector} no longer exists`);
  });

  it('fails for good when the credential was deleted', async () => {
    // Prepare
    const { connector, credentialId, owner } = await launchRun(stack);
    await deleteCredential(stack.deps.table, { id: credentialId!, owner, connector });
    // Act
    const error = await rejectionOf(openConnector(stack.deps, connector, credentialId!));
    // Assess
    expect(error).toBeInstanceOf(PermanentCloudError);
    expect(error.message).toBe(`the credential for ${connector} was deleted`);
  });
});

describe('requestsPerSecond', () => {
  it.each([
    [{ requestsPerSecond: 2.5 }, 2.5],
    [{ requestsPerSecond: 0 }, undefined],
    [{ requestsPerSecond: -1 }, undefined],
    [{ requestsPerSecond: '5' }, undefined],
    [{}, undefined],
  ])('reads %o as %s', (settings, expected) => {
    // Act
    const rate = requestsPerSecond({ name: 'c', kind: 'sim', maxIaasWorkers: 1, defaultQuotaVms: 1, settings });
    // Assess
    expect(rate).toBe(expected);
  });
});
