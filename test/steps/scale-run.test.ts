/**
 * Scaling a Ready run, step by step on the scripted cloud: the API's start (quota
 * reserved with the move to Scaling, or nothing at all), BeginScale, the reused
 * create/check/terminate steps, FinishScale (done or rolled back), and FinalizeRun
 * releasing everything the run holds, once.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PermanentCloudError } from '#connectors/errors';
import type { AppDeps } from '#functions/commons/deps';
import { QuotaExceededError, ConflictError } from '#functions/domain/errors';
import { requestScale } from '#functions/runs/scale-run';
import { requestTermination } from '#functions/runs/run-executions';
import { beginScale } from '#functions/steps/begin-scale';
import { checkInstances } from '#functions/steps/check-instances';
import { createInstance } from '#functions/steps/create-instance';
import { finalizeRun } from '#functions/steps/finalize-run';
import { finishScale } from '#functions/steps/finish-scale';
import { terminateInstance } from '#functions/steps/terminate-instance';
import { beginFinalizing } from '#functions/steps/begin-finalizing';
import { quotaFor } from '#functions/store/quotas';
import { updateInstance } from '#functions/store/runs';
import { listOpenScales } from '#functions/store/scales';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SWEEP_GRACE_SECONDS, sweepExecutions, type SweepReport } from '#functions/schedules/execution-sweep';
import { eventsOf, instancesOf, moveAlong, plannedRun, rejectionOf, runOf, tagOf, type RunOptions, type RunWorld } from '#test/runs/support/run-world';
import { recordingSfn, type RecordingSfn } from '#test/runs/support/recording-sfn';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));
vi.mock('#connectors/implementations', async (original) => (await import('#test/support/scripted-connector')).withScriptedImplementation(await original()));

const SCALE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-scale-run';
const DEPLOY_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-deploy-run';
const TERMINATE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-terminate-run';

let stack: StepStack;
let sfn: RecordingSfn;
let deps: AppDeps;
let scales = 0;

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
      buildStateMachineArn: () => 'arn:aws:states:us-east-1:000000000000:stateMachine:slipway-build',
      scaleStateMachineArn: () => SCALE_ARN,
      deployStateMachineArn: () => DEPLOY_ARN,
      terminateStateMachineArn: () => TERMINATE_ARN,
    },
  };
});

afterAll(async () => {
  await stack?.stop();
});

const FARM: RunOptions['nodes'] = [
  { name: 'web', multiplicity: 2, outputs: ['hostname'] },
  { name: 'lb', inputs: { web_hosts: 'web:hostname' } },
];

/** Every live VM of the run running and reporting, web.N publishing `web-N`. */
function bootAll(world: RunWorld, instances: Record<string, { node: string; index: number; phase: string }>) {
  for (const i of Object.values(instances)) {
    if (i.phase !== 'created') continue;
    world.cloud.setState(tagOf(world.runId, i.node, i.index), 'running', { published: i.node === 'web' ? { hostname: `web-${i.index}` } : {} });
  }
}

/** A Ready farm (web×2 → lb) on the scripted cloud, with its quota reserved (3 VMs). */
async function readyFarm(options: RunOptions = {}) {
  const world = await plannedRun(stack, { nodes: FARM, ...options });
  for (const ref of world.plan.instances) await createInstance(ref, deps);
  bootAll(world, await instancesOf(stack, world.runId));
  expect((await checkInstances({ runId: world.runId }, deps)).ready).toBe(true);
  await moveAlong(stack, world.runId, 'Executing', 'Ready');
  return world;
}

const used = async (world: RunWorld) => (await quotaFor(deps.table, world.owner, world.connector))?.used;

/** What the scale machine does when every step succeeds. */
async function runScale(world: RunWorld, node: string, multiplicity: number) {
  const scaleId = `scl_test${++scales}`;
  await requestScale(deps, await runOf(stack, world.runId), { node, multiplicity }, scaleId);
  const work = await beginScale({ runId: world.runId, scaleId }, deps);
  for (const ref of work.remove) await terminateInstance(ref, deps);
  for (const ref of work.add) await createInstance(ref, deps);
  bootAll(world, await instancesOf(stack, world.runId));
  const check = await checkInstances({ runId: world.runId, pollsBefore: work.pollsBefore }, deps);
  expect(check).toMatchObject({ ready: true, polls: 1 });
  expect(await finishScale({ runId: world.runId, scaleId }, deps)).toEqual({ ended: true });
  return { scaleId, work };
}

const liveNames = async (runId: string, node: string) =>
  Object.values(await instancesOf(stack, runId))
    .filter((i) => i.node === node && i.phase !== 'terminated')
    .map((i) => i.name)
    .sort();

describe('a scale out and in', () => {
  it('adds web.3–5 with the quota of 3 more, then removes web.5–2 giving 4 back, lb.web_hosts following each time', async () => {
    // Prepare
    const world = await readyFarm();
    expect(await used(world)).toBe(3);
    // Act: out
    const out = await runScale(world, 'web', 5);
    // Assess
    expect(out.work.add.map((r) => r.index)).toEqual([3, 4, 5]);
    expect(await liveNames(world.runId, 'web')).toEqual(['web.1', 'web.2', 'web.3', 'web.4', 'web.5']);
    expect(await used(world)).toBe(6);
    expect((await instancesOf(stack, world.runId))['lb.1']!.parameters.web_hosts).toBe('web-1,web-2,web-3,web-4,web-5');
    const afterOut = await runOf(stack, world.runId);
    expect(afterOut).toMatchObject({ state: 'Ready', nodes: { web: { multiplicity: 5 } } });
    expect(afterOut.scaling).toBeUndefined();
    // Act: in
    const into = await runScale(world, 'web', 1);
    // Assess
    expect(into.work.remove.map((r) => r.index)).toEqual([5, 4, 3, 2]);
    expect(await liveNames(world.runId, 'web')).toEqual(['web.1']);
    expect(world.cloud.liveVms()).toHaveLength(2);
    expect(await used(world)).toBe(2);
    expect((await instancesOf(stack, world.runId))['lb.1']!.parameters.web_hosts).toBe('web-1');
    const states = (await eventsOf(stack, world.runId)).flatMap((e) => (e.state ? [e.state] : []));
    expect(states.slice(-4)).toEqual(['Scaling', 'Ready', 'Scaling', 'Ready']);
    // Act: the run ends
    await beginFinalizing({ runId: world.runId }, deps);
    for (const i of Object.values(await instancesOf(stack, world.runId))) await terminateInstance({ runId: world.runId, node: i.node, index: i.index }, deps);
    await finalizeRun({ runId: world.runId }, deps);
    await finalizeRun({ runId: world.runId }, deps);
    // Assess: released once, exactly what it held
    expect(await used(world)).toBe(0);
  });

  it('starts the scale execution named after the scale id, and a repeat of the same scale changes nothing more', async () => {
    // Prepare
    const world = await readyFarm();
    const run = await runOf(stack, world.runId);
    // Act
    await requestScale(deps, run, { node: 'web', multiplicity: 3 }, 'scl_repeat');
    await requestScale(deps, await runOf(stack, world.runId), { node: 'web', multiplicity: 3 }, 'scl_repeat');
    // Assess
    expect(sfn.sent.filter((c) => c.command === 'StartExecutionCommand').map((c) => c.input)).toContainEqual({
      stateMachineArn: SCALE_ARN,
      name: 'scl_repeat',
      input: JSON.stringify({ runId: world.runId, scaleId: 'scl_repeat' }),
    });
    expect(await used(world)).toBe(4);
    expect(await runOf(stack, world.runId)).toMatchObject({ state: 'Scaling', scaling: { id: 'scl_repeat', add: [3], remove: [] } });
    expect(Object.keys(await instancesOf(stack, world.runId)).sort()).toEqual(['lb.1', 'web.1', 'web.2', 'web.3']);
  });
});

describe('a refused scale', () => {
  it('over the quota writes nothing: the run stays Ready, no intent, no event, the quota as it was', async () => {
    // Prepare
    const world = await readyFarm({ defaultQuotaVms: 4 });
    const before = await runOf(stack, world.runId);
    const events = (await eventsOf(stack, world.runId)).length;
    // Act
    const error = await rejectionOf(requestScale(deps, before, { node: 'web', multiplicity: 4 }, 'scl_refused'));
    // Assess
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error.message).toContain('3 of 4 VMs in use, this run needs 2');
    expect(await runOf(stack, world.runId)).toEqual(before);
    expect((await eventsOf(stack, world.runId)).length).toBe(events);
    expect(Object.keys(await instancesOf(stack, world.runId))).toHaveLength(3);
    expect(await used(world)).toBe(3);
    expect(sfn.sent).toEqual([]);
  });

  it('of a run that is not Ready is a conflict', async () => {
    // Prepare
    const world = await plannedRun(stack, { nodes: FARM });
    // Act
    const error = await rejectionOf(requestScale(deps, await runOf(stack, world.runId), { node: 'web', multiplicity: 3 }, 'scl_early'));
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
  });
});

describe('a failed scale', () => {
  it('terminates what it added, gives its quota back and leaves the run Ready as it was, saying why', async () => {
    // Prepare
    const world = await readyFarm();
    await requestScale(deps, await runOf(stack, world.runId), { node: 'web', multiplicity: 4 }, 'scl_fails');
    const work = await beginScale({ runId: world.runId, scaleId: 'scl_fails' }, deps);
    await createInstance(work.add[0]!, deps);
    world.cloud.failNext('createInstance', new PermanentCloudError('no such flavor'));
    const failed = await rejectionOf(createInstance(work.add[1]!, deps));
    expect(await used(world)).toBe(5);
    // Act: the rollback
    for (const ref of work.add) await terminateInstance(ref, deps);
    const ended = await finishScale({ runId: world.runId, scaleId: 'scl_fails', error: { Error: failed.name, Cause: failed.message } }, deps);
    // Assess
    expect(ended).toEqual({ ended: true });
    expect(await runOf(stack, world.runId)).toMatchObject({ state: 'Ready', nodes: {} });
    expect(await liveNames(world.runId, 'web')).toEqual(['web.1', 'web.2']);
    expect(world.cloud.liveVms()).toHaveLength(3);
    expect(await used(world)).toBe(3);
    const events = await eventsOf(stack, world.runId);
    expect(events.find((e) => e.type === 'scale')?.message).toContain('rolled back');
    // A repeat of FinishScale gives nothing back twice.
    expect(await finishScale({ runId: world.runId, scaleId: 'scl_fails', error: { Error: 'x' } }, deps)).toEqual({ ended: false });
    expect(await used(world)).toBe(3);
  });
});

describe('a terminate during a scale', () => {
  it('stops the scale execution, and FinalizeRun releases the first reservation and the scale’s, once', async () => {
    // Prepare
    const world = await readyFarm();
    await requestScale(deps, await runOf(stack, world.runId), { node: 'web', multiplicity: 4 }, 'scl_cut');
    const work = await beginScale({ runId: world.runId, scaleId: 'scl_cut' }, deps);
    await createInstance(work.add[0]!, deps);
    sfn.setStatus(`${SCALE_ARN.replace(':stateMachine:', ':execution:')}:scl_cut`, 'RUNNING');
    // Act
    expect(await requestTermination(deps, await runOf(stack, world.runId), 'termination requested')).toBe(true);
    const teardown = await beginFinalizing({ runId: world.runId }, deps);
    for (const ref of teardown.instances) await terminateInstance(ref, deps);
    await finalizeRun({ runId: world.runId }, deps);
    // A FinishScale that still ran finds the run ended and changes nothing.
    const late = await finishScale({ runId: world.runId, scaleId: 'scl_cut' }, deps);
    // Assess
    expect(sfn.sent.map((c) => c.command)).toContain('StopExecutionCommand');
    expect(sfn.sent.find((c) => c.command === 'StopExecutionCommand')?.input.executionArn).toContain(':slipway-scale-run:scl_cut');
    expect(late).toEqual({ ended: false });
    expect((await runOf(stack, world.runId)).state).toBe('Done');
    expect(await used(world)).toBe(0);
    expect(world.cloud.liveVms()).toHaveLength(0);
  });
});

describe('a scale whose execution ended first (the execution sweep)', () => {
  const arnOf = (scaleId: string) => `${SCALE_ARN.replace(':stateMachine:', ':execution:')}:${scaleId}`;
  /** The sweep's clock: past the grace after the scale started. */
  const later = () => stack.setNow(new Date(Date.now() + (SWEEP_GRACE_SECONDS + 60) * 1000));

  afterEach(() => stack.setNow(undefined));
  /** What a sweep did to this world's run (the table holds the other tests' scales too). */
  const of = (report: SweepReport, runId: string) => report.scales.filter((s) => s.run === runId);

  it('rolls back a scale out stopped by hand: what it added is terminated, its quota given back, the run Ready as before', async () => {
    // Prepare: web 2 → 4 stopped after web.3 was made
    const world = await readyFarm();
    await requestScale(deps, await runOf(stack, world.runId), { node: 'web', multiplicity: 4 }, 'scl_stopped');
    const work = await beginScale({ runId: world.runId, scaleId: 'scl_stopped' }, deps);
    await createInstance(work.add[0]!, deps);
    sfn.setStatus(arnOf('scl_stopped'), 'ABORTED');
    expect(await used(world)).toBe(5);
    later();
    // Act
    const report = await sweepExecutions(deps);
    const again = await sweepExecutions(deps);
    // Assess
    expect(of(report, world.runId)).toEqual([{ run: world.runId, scale: 'scl_stopped', execution: 'ABORTED' }]);
    expect(of(again, world.runId)).toEqual([]);
    expect(await runOf(stack, world.runId)).toMatchObject({ state: 'Ready', nodes: {} });
    expect((await runOf(stack, world.runId)).scaling).toBeUndefined();
    expect(await liveNames(world.runId, 'web')).toEqual(['web.1', 'web.2']);
    expect(world.cloud.liveVms()).toHaveLength(3);
    expect(await used(world)).toBe(3);
    expect((await eventsOf(stack, world.runId)).find((e) => e.type === 'scale')?.message).toBe(
      "scale of web to 4 rolled back: Left unfinished: the scale's execution ended (ABORTED) before the scale did",
    );
  });

  it('finishes removing what a stopped scale in had begun to remove, keeps what it had not, and gives back what went', async () => {
    // Prepare: web 3 → 1 removes web.3 and web.2; only web.3 was claimed for termination when the execution timed out
    const world = await readyFarm({ nodes: [{ name: 'web', multiplicity: 3, outputs: ['hostname'] }, FARM[1]!] });
    await requestScale(deps, await runOf(stack, world.runId), { node: 'web', multiplicity: 1 }, 'scl_half');
    await beginScale({ runId: world.runId, scaleId: 'scl_half' }, deps);
    await updateInstance(deps.table, tagOf(world.runId, 'web', 3), { phase: 'terminating' });
    sfn.setStatus(arnOf('scl_half'), 'TIMED_OUT');
    expect(await used(world)).toBe(4);
    later();
    // Act
    const report = await sweepExecutions(deps);
    // Assess
    expect(of(report, world.runId)).toEqual([{ run: world.runId, scale: 'scl_half', execution: 'TIMED_OUT' }]);
    expect(await runOf(stack, world.runId)).toMatchObject({ state: 'Ready' });
    expect(await liveNames(world.runId, 'web')).toEqual(['web.1', 'web.2']);
    expect(world.cloud.liveVms()).toHaveLength(3);
    expect(await used(world)).toBe(3);
  });

  it('rolls back a scale whose execution never started, once it is older than the grace', async () => {
    // Prepare
    const world = await readyFarm();
    await requestScale(deps, await runOf(stack, world.runId), { node: 'web', multiplicity: 3 }, 'scl_never');
    later();
    // Act
    const report = await sweepExecutions(deps);
    // Assess
    expect(of(report, world.runId)).toEqual([{ run: world.runId, scale: 'scl_never', execution: 'never started' }]);
    expect(await runOf(stack, world.runId)).toMatchObject({ state: 'Ready' });
    expect(await used(world)).toBe(3);
  });

  it('drops a marker left by an earlier scale of a run that is now in another scale, and leaves that scale alone', async () => {
    // Prepare: the run scales (scl_now, running); a marker of an earlier scale of it is still there
    const world = await readyFarm();
    await requestScale(deps, await runOf(stack, world.runId), { node: 'web', multiplicity: 3 }, 'scl_now');
    sfn.setStatus(arnOf('scl_now'), 'RUNNING');
    await deps.table.doc.send(
      new PutCommand({
        TableName: deps.table.name,
        Item: {
          pk: 'SCALE#scl_earlier',
          sk: 'OPEN',
          expPk: 'SCALES-OPEN',
          expSk: `2000-01-01T00:00:00.000Z#scl_earlier`,
          runId: world.runId,
          scaleId: 'scl_earlier',
        },
      }),
    );
    const before = await runOf(stack, world.runId);
    later();
    // Act
    const report = await sweepExecutions(deps);
    // Assess
    expect(of(report, world.runId)).toEqual([]);
    expect(await runOf(stack, world.runId)).toEqual(before);
    expect((await listOpenScales(deps.table, deps.now())).map((s) => s.scaleId)).not.toContain('scl_earlier');
  });

  it('leaves a scale whose execution runs, and one younger than the grace, as they are', async () => {
    // Prepare
    const world = await readyFarm();
    await requestScale(deps, await runOf(stack, world.runId), { node: 'web', multiplicity: 3 }, 'scl_going');
    const before = await runOf(stack, world.runId);
    // Act: no execution yet, but young; then running, and old
    const young = await sweepExecutions(deps);
    sfn.setStatus(arnOf('scl_going'), 'RUNNING');
    later();
    const running = await sweepExecutions(deps);
    // Assess
    expect(of(young, world.runId)).toEqual([]);
    expect(of(running, world.runId)).toEqual([]);
    expect(await runOf(stack, world.runId)).toEqual(before);
  });

  it('drops the marker of a scale whose run was terminated during it, changing nothing else', async () => {
    // Prepare
    const world = await readyFarm();
    await requestScale(deps, await runOf(stack, world.runId), { node: 'web', multiplicity: 3 }, 'scl_gone');
    sfn.setStatus(arnOf('scl_gone'), 'ABORTED');
    await requestTermination(deps, await runOf(stack, world.runId), 'termination requested');
    const teardown = await beginFinalizing({ runId: world.runId }, deps);
    for (const ref of teardown.instances) await terminateInstance(ref, deps);
    await finalizeRun({ runId: world.runId }, deps);
    const events = (await eventsOf(stack, world.runId)).length;
    later();
    // Act
    const report = await sweepExecutions(deps);
    // Assess
    expect(of(report, world.runId)).toEqual([]);
    expect(await listOpenScales(deps.table, deps.now())).not.toContainEqual({ runId: world.runId, scaleId: 'scl_gone' });
    expect((await runOf(stack, world.runId)).state).toBe('Done');
    expect((await eventsOf(stack, world.runId)).length).toBe(events);
    expect(await used(world)).toBe(0);
  });
});
