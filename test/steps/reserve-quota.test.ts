import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QuotaExceededError } from '#functions/domain/errors';
import { reserveRunQuota } from '#functions/steps/reserve-quota';
import { quotaFor } from '#functions/store/quotas';
import { plannedRun, rejectionOf, runOf } from '#test/runs/support/run-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));

let stack: StepStack;

beforeAll(async () => {
  stack = await startStepStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('ReserveQuota', () => {
  it("reserves one VM per planned instance in the user's quota on the connector", async () => {
    // Prepare
    const { runId, owner, connector } = await plannedRun(stack);
    // Act
    await reserveRunQuota({ runId }, stack.deps);
    // Assess
    expect(await quotaFor(stack.deps.table, owner, connector)).toEqual({ maxVms: 10, used: 3, source: 'default' });
    expect((await runOf(stack, runId)).quotaReserved).toEqual({ [connector]: 3 });
  });

  it('reserves on each connector the VMs planned there', async () => {
    // Prepare
    const { runId, owner, connector, second } = await plannedRun(stack, {
      second: {},
      nodes: [
        { name: 'db', onSecond: true },
        { name: 'web', multiplicity: 2 },
      ],
    });
    // Act
    await reserveRunQuota({ runId }, stack.deps);
    // Assess
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(2);
    expect((await quotaFor(stack.deps.table, owner, second!.connector))!.used).toBe(1);
  });

  it('counts the VMs once when the step runs twice', async () => {
    // Prepare
    const { runId, owner, connector } = await plannedRun(stack);
    await reserveRunQuota({ runId }, stack.deps);
    // Act
    await reserveRunQuota({ runId }, stack.deps);
    // Assess
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(3);
  });

  it('fails naming the quota, and reserves nothing, when the run needs more VMs than the user may hold', async () => {
    // Prepare
    const { runId, owner, connector } = await plannedRun(stack, { defaultQuotaVms: 2 });
    // Act
    const error = await rejectionOf(reserveRunQuota({ runId }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error.message).toBe(`quota exceeded on ${connector}: 0 of 2 VMs in use, this run needs 3`);
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(0);
    expect((await runOf(stack, runId)).quotaReserved).toBeUndefined();
  });

  it('fails for a run that does not exist', async () => {
    // Act
    const error = await rejectionOf(reserveRunQuota({ runId: 'run_missing' }, stack.deps));
    // Assess
    expect(error.message).toBe('run run_missing does not exist');
  });
});
