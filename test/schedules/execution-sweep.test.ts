/**
 * The build sweep over DynamoDB Local and a scripted cloud: a build whose execution
 * ended before it did (stopped by hand, timed out) or never started is ended by the
 * sweep — builder VM terminated, quota back, state Failed with why, out of the open
 * builds — while a build whose execution runs, a build too young to judge, and a
 * finished build are left alone.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppDeps } from '#functions/commons/deps';
import { executionArn } from '#functions/runs/run-executions';
import { SWEEP_GRACE_SECONDS, sweepExecutions } from '#functions/schedules/execution-sweep';
import { launchBuilder } from '#functions/steps/launch-builder';
import { terminateBuilder } from '#functions/steps/terminate-builder';
import { getBuild, listOpenBuildIds } from '#functions/store/builds';
import { quotaFor } from '#functions/store/quotas';
import { buildWorld, type BuildWorld } from '#test/runs/support/build-world';
import { recordingSfn, type RecordingSfn } from '#test/runs/support/recording-sfn';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));
vi.mock('#connectors/implementations', async (original) => (await import('#test/support/scripted-connector')).withScriptedImplementation(await original()));

const BUILD_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-build';
const START = new Date('2032-03-01T10:00:00.000Z');

let stack: StepStack;
let sfn: RecordingSfn;
let deps: AppDeps;

beforeAll(async () => {
  stack = await startStepStack();
});

beforeEach(async () => {
  // The open builds are one partition for the whole table: each test reads its own.
  await stack.useNewTable();
  stack.setNow(START);
  sfn = recordingSfn();
  deps = { ...stack.deps, sfn: sfn.client, config: { ...stack.deps.config, buildStateMachineArn: () => BUILD_ARN } };
});

afterAll(async () => {
  await stack?.stop();
});

/** A build whose builder VM is up (launched at START), and the sweep's clock past the grace. */
async function launchedBuild(prefix: string): Promise<BuildWorld> {
  const world = await buildWorld(stack, { prefix });
  await launchBuilder({ buildId: world.build.id }, deps);
  stack.setNow(new Date(START.getTime() + (SWEEP_GRACE_SECONDS + 60) * 1000));
  return world;
}

const arnOf = (buildId: string) => executionArn(BUILD_ARN, buildId);

describe('execution sweep, for builds', () => {
  it.each(['ABORTED', 'TIMED_OUT', 'FAILED'])('ends a build whose execution is %s: builder terminated, quota back, Failed with why', async (status) => {
    // Arrange
    const world = await launchedBuild(`s${status}`);
    sfn.setStatus(arnOf(world.build.id), status);
    expect(world.cloud.liveVms()).toHaveLength(1);
    // Act
    const report = await sweepExecutions(deps);
    // Assess
    expect(report).toEqual({ builds: [{ build: world.build.id, execution: status }], scales: [] });
    expect(world.cloud.liveVms()).toEqual([]);
    expect((await quotaFor(deps.table, world.owner, world.connector))?.used).toBe(0);
    const build = await getBuild(deps.table, world.build.id);
    expect(build).toMatchObject({ state: 'Failed', failureReason: `the build's execution ended (${status}) before the build did` });
    expect(await listOpenBuildIds(deps.table, deps.now())).toEqual([]);
  });

  it('ends a build whose execution never started, once it is older than the grace', async () => {
    // Arrange: a stored build, no execution, nothing launched
    const world = await buildWorld(stack, { prefix: 'never' });
    // Act: half the grace on, then just past it
    stack.setNow(new Date(START.getTime() + (SWEEP_GRACE_SECONDS / 2) * 1000));
    const young = await sweepExecutions(deps);
    stack.setNow(new Date(START.getTime() + (SWEEP_GRACE_SECONDS + 1) * 1000));
    const old = await sweepExecutions(deps);
    // Assess
    expect(young.builds).toEqual([]);
    expect(old.builds).toEqual([{ build: world.build.id, execution: 'never started' }]);
    expect(await getBuild(deps.table, world.build.id)).toMatchObject({ state: 'Failed', failureReason: "the build's execution never started" });
  });

  it('leaves a build whose execution runs as it is, and asks no cloud anything', async () => {
    // Arrange
    const world = await launchedBuild('running');
    sfn.setStatus(arnOf(world.build.id), 'RUNNING');
    const callsBefore = world.cloud.calls.length;
    const before = await getBuild(deps.table, world.build.id);
    // Act
    const report = await sweepExecutions(deps);
    // Assess
    expect(report.builds).toEqual([]);
    expect(world.cloud.calls.length).toBe(callsBefore);
    expect(world.cloud.liveVms()).toHaveLength(1);
    expect(await getBuild(deps.table, world.build.id)).toEqual(before);
  });

  it('never looks at a build that has ended (it left the open builds)', async () => {
    // Arrange: a build that failed and ended the usual way
    const world = await launchedBuild('ended');
    await terminateBuilder({ buildId: world.build.id }, deps);
    // Act
    const report = await sweepExecutions(deps);
    // Assess
    expect(report.builds).toEqual([]);
    expect(sfn.sent.filter((s) => s.command === 'DescribeExecutionCommand')).toEqual([]);
  });
});
