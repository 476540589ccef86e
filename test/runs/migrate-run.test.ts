/**
 * A migration's decisions over the table (no cloud): the old run's marks, and what
 * one look at the new run does — switch, give up, or wait (bounded).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '#functions/commons/deps';
import { ConflictError } from '#functions/domain/errors';
import { MIGRATION_MAX_POLLS } from '#functions/domain/migration';
import { checkMigration } from '#functions/runs/migrate-run';
import { markMigrating } from '#functions/store/migrations';
import { eventsOf, launchRun, moveAlong, rejectionOf, runOf } from '#test/runs/support/run-world';
import { recordingSfn, type RecordingSfn } from '#test/runs/support/recording-sfn';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

const ARN = (name: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;

let stack: StepStack;
let sfn: RecordingSfn;
let deps: AppDeps;

beforeAll(async () => {
  stack = await startStepStack();
});

beforeEach(() => {
  sfn = recordingSfn();
  deps = {
    ...stack.deps,
    sfn: sfn.client,
    config: {
      ...stack.deps.config,
      deployStateMachineArn: () => ARN('slipway-deploy-run'),
      terminateStateMachineArn: () => ARN('slipway-terminate-run'),
      scaleStateMachineArn: () => ARN('slipway-scale-run'),
    },
  };
});

afterAll(async () => {
  await stack?.stop();
});

/** A Ready old run marked as migrating to a new run in `newState`. */
async function migration(...newStates: Parameters<typeof moveAlong>[2][]) {
  const old = await launchRun(stack);
  await moveAlong(stack, old.runId, 'Provisioning', 'Executing', 'Ready');
  const fresh = await launchRun(stack, { sameAccountAs: old });
  await moveAlong(stack, fresh.runId, ...newStates);
  await markMigrating(deps.table, await runOf(stack, old.runId), fresh.runId, deps.now());
  return { from: old.runId, runId: fresh.runId };
}

const started = () => sfn.sent.filter((c) => c.command === 'StartExecutionCommand').map((c) => String(c.input.stateMachineArn).split(':').pop());

describe('checkMigration', () => {
  it('switches once the new run is Ready: the old run names it and is asked to terminate', async () => {
    // Prepare
    const m = await migration('Provisioning', 'Executing', 'Ready');
    // Act
    const outcome = await checkMigration(deps, { ...m, polls: 3 });
    // Assess
    expect(outcome).toEqual({ status: 'switched', polls: 4 });
    const old = await runOf(stack, m.from);
    expect(old.migratedTo).toBe(m.runId);
    expect(old.migrating).toBeUndefined();
    expect(started()).toEqual(['slipway-terminate-run']);
    expect((await eventsOf(stack, m.from)).map((e) => e.message)).toContain(`migrated to run ${m.runId}`);
  });

  it('waits while the new run deploys', async () => {
    // Prepare
    const m = await migration('Provisioning');
    // Act
    const outcome = await checkMigration(deps, m);
    // Assess
    expect(outcome).toEqual({ status: 'waiting', polls: 1 });
    expect(sfn.sent).toEqual([]);
    expect((await runOf(stack, m.from)).migrating).toBe(m.runId);
  });

  it('gives up when the new run ended: the old run keeps running and may migrate again', async () => {
    // Prepare
    const m = await migration('Finalizing', 'Aborted');
    // Act
    const outcome = await checkMigration(deps, m);
    // Assess
    expect(outcome.status).toBe('failed');
    const old = await runOf(stack, m.from);
    expect(old).toMatchObject({ state: 'Ready' });
    expect(old.migratedTo).toBeUndefined();
    expect(old.migrating).toBeUndefined();
    expect(sfn.sent).toEqual([]);
    expect((await eventsOf(stack, m.from)).some((e) => /migration to run .* failed/.test(e.message))).toBe(true);
  });

  it('tears the new run down when it is not Ready within the deadline', async () => {
    // Prepare
    const m = await migration('Provisioning', 'Executing');
    // Act
    const outcome = await checkMigration(deps, { ...m, polls: MIGRATION_MAX_POLLS - 1 });
    // Assess
    expect(outcome).toEqual({ status: 'failed', polls: MIGRATION_MAX_POLLS });
    expect(started()).toEqual(['slipway-terminate-run']);
    expect(sfn.sent.find((c) => c.command === 'StartExecutionCommand')?.input.name).toBe(m.runId);
    expect((await runOf(stack, m.from)).migrating).toBeUndefined();
  });
});

describe('markMigrating', () => {
  it('allows one migration at a time, and a repeat of the same one', async () => {
    // Prepare
    const m = await migration('Provisioning');
    const old = await runOf(stack, m.from);
    // Act
    await markMigrating(deps.table, old, m.runId, deps.now());
    const error = await rejectionOf(markMigrating(deps.table, old, 'run_other', deps.now()));
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(`migrating to run ${m.runId} already`);
  });
});
