import { maxPollsWithin } from '#functions/domain/boot-polling';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QuotaExceededError, RunNotSatisfiableError } from '#functions/domain/errors';
import { createInstance } from '#functions/steps/create-instance';
import { BOOT_DEADLINE_SECONDS, initializeRun } from '#functions/steps/initialize-run';
import { quotaFor } from '#functions/store/quotas';
import { instancesOf, launchRun, rejectionOf, runOf } from '#test/runs/support/run-world';
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

describe('InitializeRun', () => {
  it("records one planned intent per VM, with the connector's native image and the user's credential", async () => {
    // Prepare
    const { runId, connector, credentialId } = await launchRun(stack);
    // Act
    await initializeRun({ runId }, stack.deps);
    // Assess
    const instances = await instancesOf(stack, runId);
    expect(Object.keys(instances)).toEqual(['db.1', 'web.1', 'web.2']);
    expect(instances['web.2']).toMatchObject({
      run: runId,
      node: 'web',
      index: 2,
      connector,
      credentialId,
      imageId: 'img-native',
      inputs: { db_host: 'db:hostname' },
      phase: 'planned',
      state: 'pending',
      parameters: {},
    });
  });

  it("hands the state machine the instances, ids only, with the connector's worker limit", async () => {
    // Prepare
    const { runId } = await launchRun(stack, { maxIaasWorkers: 3 });
    // Act
    const plan = await initializeRun({ runId }, stack.deps);
    // Assess
    expect(plan).toMatchObject({
      maxIaasWorkers: 3,
      instances: [
        { runId, node: 'db', index: 1 },
        { runId, node: 'web', index: 1 },
        { runId, node: 'web', index: 2 },
      ],
    });
  });

  it("reserves one VM per planned instance in the user's quota, and moves the run to Provisioning", async () => {
    // Prepare
    const { runId, owner, connector } = await launchRun(stack);
    // Act
    await initializeRun({ runId }, stack.deps);
    // Assess
    expect(await quotaFor(stack.deps.table, owner, connector)).toEqual({ maxVms: 10, used: 3, source: 'default' });
    const run = await runOf(stack, runId);
    expect(run.quotaReserved).toEqual({ [connector]: 3 });
    expect(run.state).toBe('Provisioning');
  });

  it('reserves on each connector the VMs planned there', async () => {
    // Prepare
    const { runId, owner, connector, second } = await launchRun(stack, {
      second: {},
      nodes: [
        { name: 'db', onSecond: true },
        { name: 'web', multiplicity: 2 },
      ],
    });
    // Act
    await initializeRun({ runId }, stack.deps);
    // Assess
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(2);
    expect((await quotaFor(stack.deps.table, owner, second!.connector))!.used).toBe(1);
  });

  it("plans an order's run on the vendor's credential and reserves the VMs in the vendor's quota, not the customer's", async () => {
    // Prepare
    const { runId, owner, vendor, connector, credentialId } = await launchRun(stack, { sponsored: true });
    // Act
    await initializeRun({ runId }, stack.deps);
    // Assess
    expect(Object.values(await instancesOf(stack, runId)).map((i) => i.credentialId)).toEqual([credentialId, credentialId, credentialId]);
    expect((await quotaFor(stack.deps.table, vendor!, connector))!.used).toBe(3);
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(0);
  });

  it("fails naming the vendor when an order's vendor has no credential on the connector", async () => {
    // Prepare: the customer has a credential there, the vendor none.
    const { runId, connector } = await launchRun(stack, { sponsored: true, withoutCredential: true });
    // Act
    const error = await rejectionOf(initializeRun({ runId }, stack.deps));
    // Assess
    expect(error.message).toBe(`the vendor has no credential for connector "${connector}"`);
  });

  it('counts the VMs once when the step runs twice', async () => {
    // Prepare
    const { runId, owner, connector } = await launchRun(stack);
    await initializeRun({ runId }, stack.deps);
    // Act
    await initializeRun({ runId }, stack.deps);
    // Assess
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(3);
    expect((await runOf(stack, runId)).state).toBe('Provisioning');
  });

  it('fails naming the quota, reserves nothing and stays Initializing, when the run needs more VMs than the user may hold', async () => {
    // Prepare
    const { runId, owner, connector } = await launchRun(stack, { defaultQuotaVms: 2 });
    // Act
    const error = await rejectionOf(initializeRun({ runId }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error.message).toBe(`quota exceeded on ${connector}: 0 of 2 VMs in use, this run needs 3`);
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(0);
    const run = await runOf(stack, runId);
    expect(run.quotaReserved).toBeUndefined();
    expect(run.state).toBe('Initializing');
  });

  it("polls at the connector kind's pace, as often as the boot deadline allows", async () => {
    // Prepare
    const { runId } = await launchRun(stack, { settings: { pollSeconds: 7 } });
    // Act
    const plan = await initializeRun({ runId }, stack.deps);
    // Assess
    expect(plan.pollSeconds).toBe(7);
    expect(plan.maxPolls).toBe(maxPollsWithin(BOOT_DEADLINE_SECONDS, 7));
    expect(BOOT_DEADLINE_SECONDS).toBe(15 * 60);
  });

  it("plans each node on its own connector with the user's credential there, and polls at the fastest connector's pace", async () => {
    // Prepare
    const world = await launchRun(stack, {
      settings: { pollSeconds: 7 },
      second: { settings: { pollSeconds: 3 }, maxIaasWorkers: 5 },
      nodes: [
        { name: 'db', onSecond: true },
        { name: 'web', multiplicity: 2 },
      ],
    });
    // Act
    const plan = await initializeRun({ runId: world.runId }, stack.deps);
    // Assess
    const instances = await instancesOf(stack, world.runId);
    expect(plan).toMatchObject({ pollSeconds: 3, maxPolls: maxPollsWithin(BOOT_DEADLINE_SECONDS, 3) });
    expect(plan.maxIaasWorkers).toBe(2);
    expect(plan.instances.map((i) => `${i.node}.${i.index}`)).toEqual(['db.1', 'web.1', 'web.2']);
    expect(instances['db.1']).toMatchObject({ connector: world.second!.connector, credentialId: world.second!.credentialId, imageId: 'img-native-b' });
    expect(instances['web.1']).toMatchObject({ connector: world.connector, credentialId: world.credentialId, imageId: 'img-native' });
  });

  it('records on the run which image versions each node uses', async () => {
    // Prepare
    const { runId } = await launchRun(stack);
    // Act
    await initializeRun({ runId }, stack.deps);
    // Assess
    const run = (await runOf(stack, runId)) as unknown as { imageVersions: Record<string, { id: string; version: number }[]> };
    expect(Object.keys(run.imageVersions).sort()).toEqual(['db', 'web']);
    expect(run.imageVersions.db).toEqual([{ id: expect.stringMatching(/^img_db/), version: 1 }]);
  });

  it('keeps what an earlier attempt planned and what has happened since, when repeated', async () => {
    // Prepare
    const { runId, cloud } = await launchRun(stack);
    await initializeRun({ runId }, stack.deps);
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Act
    const plan = await initializeRun({ runId }, stack.deps);
    // Assess
    expect(plan.instances).toHaveLength(3);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ phase: 'created', cloudId: cloud.liveVms()[0]!.cloudId });
  });

  it('fails, naming the node, when its image has no native id for the connector', async () => {
    // Prepare
    const { runId, connector } = await launchRun(stack, { nodes: [{ name: 'db', cloudImageIds: { elsewhere: 'img-x' } }, { name: 'web' }] });
    // Act
    const error = await rejectionOf(initializeRun({ runId }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(RunNotSatisfiableError);
    expect(error.message).toBe(`node "db": image has no native id for connector "${connector}"`);
    expect(await instancesOf(stack, runId)).toEqual({});
  });

  it('fails, naming the connector, when the user has no credential for it', async () => {
    // Prepare
    const { runId, connector } = await launchRun(stack, { withoutCredential: true });
    // Act
    const error = await rejectionOf(initializeRun({ runId }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(RunNotSatisfiableError);
    expect(error.message).toBe(`you have no credential for connector "${connector}"`);
    expect(await instancesOf(stack, runId)).toEqual({});
  });

  it('fails, naming it, when the deployment version the run recorded is gone', async () => {
    // Prepare
    const { runId } = await launchRun(stack, { deploymentVersion: 4 });
    // Act
    const error = await rejectionOf(initializeRun({ runId }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(RunNotSatisfiableError);
    expect(error.message).toMatch(/^deployment dep_world\d+ version 4 does not exist$/);
  });

  it('fails, naming it, for a run that does not exist', async () => {
    // Act
    const error = await rejectionOf(initializeRun({ runId: 'run_missing' }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(RunNotSatisfiableError);
    expect(error.message).toBe('run run_missing does not exist');
  });
});
