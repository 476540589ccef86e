import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { releaseRunQuota } from '#functions/steps/release-quota';
import { reserveRunQuota } from '#functions/steps/reserve-quota';
import { quotaFor } from '#functions/store/quotas';
import { plannedRun, runOf } from '#test/runs/support/run-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));

let stack: StepStack;

beforeAll(async () => {
  stack = await startStepStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('ReleaseQuota', () => {
  it('gives back the VMs the run reserved', async () => {
    // Prepare
    const { runId, owner, connector } = await plannedRun(stack);
    await reserveRunQuota({ runId }, stack.deps);
    // Act
    await releaseRunQuota({ runId }, stack.deps);
    // Assess
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(0);
    expect((await runOf(stack, runId)).quotaReleased).toBe(true);
  });

  it('gives them back once when the step runs twice', async () => {
    // Prepare
    const { runId, owner, connector } = await plannedRun(stack);
    await reserveRunQuota({ runId }, stack.deps);
    await releaseRunQuota({ runId }, stack.deps);
    // Act
    await releaseRunQuota({ runId }, stack.deps);
    // Assess
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(0);
  });

  it('gives back nothing for a run that never reserved (it was aborted before)', async () => {
    // Prepare
    const { runId, owner, connector } = await plannedRun(stack);
    // Act
    await releaseRunQuota({ runId }, stack.deps);
    // Assess
    expect((await quotaFor(stack.deps.table, owner, connector))!.used).toBe(0);
    expect((await runOf(stack, runId)).quotaReleased).toBeUndefined();
  });

  it('does nothing for a run that does not exist', async () => {
    // Act
    const released = releaseRunQuota({ runId: 'run_missing' }, stack.deps);
    // Assess
    await expect(released).resolves.toBeUndefined();
  });
});
