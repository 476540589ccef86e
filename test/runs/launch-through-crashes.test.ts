/**
 * A launch whose process dies after it made the run but before its idempotency
 * record was completed is retried with the same Idempotency-Key, and the handler
 * runs again: the retry must find the run the first attempt made, not make another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRoutes } from '#functions/http/api/runs';
import type { RouteSpec } from '#functions/http/kit/route';
import { getRun } from '#functions/store/runs';
import { launchRun } from '#test/runs/support/run-world';
import { recordingSfn, type RecordingSfn } from '#test/runs/support/recording-sfn';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

type LaunchBody = { deployment: string; connector: string; nodes: Record<string, never>; tags: Record<string, never> };
const route = runRoutes.find((r) => r.key === 'POST /v1/runs') as unknown as RouteSpec<unknown, unknown, LaunchBody, { id: string }>;
/** The route's handler, answering the run it made or found (a launch answers with its plain status). */
const launch = { handle: async (...args: Parameters<typeof route.handle>) => (await route.handle(...args)) as { id: string } };

let stack: StepStack;
let sfn: RecordingSfn;

beforeAll(async () => {
  stack = await startStepStack();
  sfn = recordingSfn();
  stack.deps.sfn = sfn.client;
  stack.deps.config.deployStateMachineArn = () => 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-deploy-run';
});

afterAll(async () => {
  await stack?.stop();
});

describe('POST /v1/runs with an Idempotency-Key, run again after a crash', () => {
  it('finds the run the first attempt made instead of making a second one', async () => {
    // Prepare: a user with a deployment
    const world = await launchRun(stack);
    const { deployment } = (await getRun(stack.deps.table, world.runId))!;
    const request = {
      caller: { kind: 'user' as const, userId: world.owner, role: 'user' as const },
      params: {},
      query: {},
      body: { deployment, connector: world.connector, nodes: {}, tags: {} },
      idempotencyKey: 'launch-42',
    };

    // Act
    const first = await launch.handle(request, stack.deps);
    const again = await launch.handle(request, stack.deps);
    const another = await launch.handle({ ...request, idempotencyKey: 'launch-43' }, stack.deps);

    // Assess
    expect(again.id).toBe(first.id);
    expect(another.id).not.toBe(first.id);
    const starts = sfn.sent.filter((c) => c.command === 'StartExecutionCommand').map((c) => c.input.name);
    expect(starts).toEqual([first.id, first.id, another.id]);
  });

  it("never hands one user's run to another who uses the same key", async () => {
    // Prepare
    const world = await launchRun(stack);
    const { deployment } = (await getRun(stack.deps.table, world.runId))!;
    const body = { deployment, connector: world.connector, nodes: {}, tags: {} };
    const mine = await launch.handle(
      { caller: { kind: 'user', userId: world.owner, role: 'user' }, params: {}, query: {}, body, idempotencyKey: 'shared-key' },
      stack.deps,
    );

    // Act
    const admins = await launch.handle(
      { caller: { kind: 'user', userId: 'usr_admin', role: 'admin' }, params: {}, query: {}, body, idempotencyKey: 'shared-key' },
      stack.deps,
    );

    // Assess
    expect(admins.id).not.toBe(mine.id);
  });
});
