/**
 * The monitor and orphans: a VM tagged as Slipway's that no live instance owns is
 * recorded once (a quiet tick writes nothing), listed for admins, forgotten when
 * gone, watched even when its account has no live instance left, never confused
 * with a VM whose run is still creating it, and one failing account stops no other.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TransientCloudError } from '#connectors/errors';
import { monitorInstances } from '#functions/schedules/monitor';
import { createInstance } from '#functions/steps/create-instance';
import { terminateInstance } from '#functions/steps/terminate-instance';
import { getConnector, replaceConnector } from '#functions/store/connectors';
import { listOrphans } from '#functions/store/orphans';
import { updateInstance } from '#functions/store/runs';
import { plannedRun, tagOf, type RunOptions } from '#test/runs/support/run-world';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

vi.mock('#connectors/registry', async (original) => (await import('#test/support/scripted-connector')).withScriptedKind(await original()));
vi.mock('#connectors/implementations', async (original) => (await import('#test/support/scripted-connector')).withScriptedImplementation(await original()));

let stack: StepStack;

beforeAll(async () => {
  stack = await startStepStack();
});

beforeEach(async () => {
  await stack.useNewTable();
});

afterAll(async () => {
  await stack?.stop();
});

async function createdRun(options: RunOptions = {}) {
  const world = await plannedRun(stack, options);
  for (const ref of world.plan.instances) await createInstance(ref, stack.deps);
  world.cloud.calls.length = 0;
  return world;
}

const orphansListed = async () => (await listOrphans(stack.deps.table, { limit: 50 })).items;

describe('monitor and orphans', () => {
  it('records an orphan once, with when it was first seen, and lists it for admins', async () => {
    // Prepare
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db' }] });
    cloud.hold({ cloudId: 'vm-stray', tag: tagOf(runId, 'db', 2), state: 'running' });
    stack.setNow(new Date('2031-01-01T00:00:00Z'));

    // Act
    await monitorInstances(stack.deps);
    stack.setNow(new Date('2031-01-01T00:01:00Z'));
    const second = await monitorInstances(stack.deps);

    // Assess
    expect(second.orphans).toEqual(['vm-stray']);
    expect(await orphansListed()).toEqual([
      expect.objectContaining({ cloudId: 'vm-stray', firstSeenAt: '2031-01-01T00:00:00.000Z', tag: tagOf(runId, 'db', 2) }),
    ]);
    stack.setNow(undefined);
  });

  it("terminates an orphan once it is older than the connector's grace period, not before", async () => {
    // Prepare
    const { runId, cloud, connector } = await createdRun({ nodes: [{ name: 'db' }] });
    const config = (await getConnector(stack.deps.table, connector))!;
    const { kind, maxIaasWorkers, defaultQuotaVms, settings } = config;
    await replaceConnector(
      stack.deps.table,
      connector,
      config.version,
      { kind, maxIaasWorkers, defaultQuotaVms, settings, orphanGraceMinutes: 10 },
      new Date(),
    );
    cloud.hold({ cloudId: 'vm-stray', tag: tagOf(runId, 'db', 2), state: 'running' });
    stack.setNow(new Date('2031-01-01T00:00:00Z'));
    await monitorInstances(stack.deps);
    stack.setNow(new Date('2031-01-01T00:09:00Z'));
    const early = await monitorInstances(stack.deps);

    // Act
    stack.setNow(new Date('2031-01-01T00:10:00Z'));
    const due = await monitorInstances(stack.deps);

    // Assess
    expect(early.orphansTerminated).toEqual([]);
    expect(due.orphansTerminated).toEqual(['vm-stray']);
    expect(cloud.calls).toContainEqual({ op: 'terminateInstance', cloudId: 'vm-stray' });
    expect(await orphansListed()).toEqual([expect.objectContaining({ cloudId: 'vm-stray', terminatedAt: '2031-01-01T00:10:00.000Z' })]);
    stack.setNow(undefined);
  });

  it('only reports orphans on a connector without a grace period', async () => {
    // Prepare
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db' }] });
    cloud.hold({ cloudId: 'vm-stray', tag: tagOf(runId, 'db', 2), state: 'running' });
    stack.setNow(new Date('2031-01-01T00:00:00Z'));
    await monitorInstances(stack.deps);

    // Act
    stack.setNow(new Date('2031-02-01T00:00:00Z'));
    const later = await monitorInstances(stack.deps);

    // Assess
    expect(later.orphans).toEqual(['vm-stray']);
    expect(later.orphansTerminated).toEqual([]);
    stack.setNow(undefined);
  });

  it('takes a VM whose instance teardown already terminated for an orphan', async () => {
    // Prepare: web.1 is torn down in Slipway's record, but its VM is still alive in the cloud
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db' }, { name: 'web' }] });
    await terminateInstance({ runId, node: 'web', index: 1 }, stack.deps);
    cloud.hold({ cloudId: 'vm-survivor', tag: tagOf(runId, 'web', 1), state: 'running' });

    // Act
    const report = await monitorInstances(stack.deps);

    // Assess
    expect(report.orphans).toEqual(['vm-survivor']);
  });

  it('terminates an orphan once, not again at every later tick', async () => {
    // Prepare
    const { runId, cloud, connector } = await createdRun({ nodes: [{ name: 'db' }] });
    const config = (await getConnector(stack.deps.table, connector))!;
    const { kind, maxIaasWorkers, defaultQuotaVms, settings } = config;
    await replaceConnector(stack.deps.table, connector, config.version, { kind, maxIaasWorkers, defaultQuotaVms, settings, orphanGraceMinutes: 1 }, new Date());
    cloud.hold({ cloudId: 'vm-stray', tag: tagOf(runId, 'db', 2), state: 'running' });
    stack.setNow(new Date('2031-01-01T00:00:00Z'));
    await monitorInstances(stack.deps);
    stack.setNow(new Date('2031-01-01T00:05:00Z'));
    await monitorInstances(stack.deps);
    cloud.calls.length = 0;

    // Act: the cloud is slow to show it gone
    cloud.hold({ cloudId: 'vm-stray', tag: tagOf(runId, 'db', 2), state: 'running' });
    stack.setNow(new Date('2031-01-01T00:06:00Z'));
    const later = await monitorInstances(stack.deps);

    // Assess
    expect(later.orphansTerminated).toEqual([]);
    expect(cloud.calls.filter((c) => c.op === 'terminateInstance')).toEqual([]);
    stack.setNow(undefined);
  });

  it('does not report an instance teardown has claimed as drift, though its VM is going', async () => {
    // Prepare: teardown claimed db.1 (terminating) and the cloud already shows it gone
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db' }, { name: 'web' }] });
    await updateInstance(stack.deps.table, tagOf(runId, 'db'), { phase: 'terminating' });
    cloud.forget(tagOf(runId, 'db'));

    // Act
    const report = await monitorInstances(stack.deps);

    // Assess
    expect(report.drifted).toEqual([]);
  });

  it('forgets an orphan the cloud no longer shows', async () => {
    // Prepare
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db' }] });
    cloud.hold({ cloudId: 'vm-stray', tag: tagOf(runId, 'db', 2), state: 'running' });
    await monitorInstances(stack.deps);
    cloud.hold({ cloudId: 'vm-stray', tag: tagOf(runId, 'db', 2), state: 'terminated' });

    // Act
    const report = await monitorInstances(stack.deps);

    // Assess
    expect(report.orphans).toEqual([]);
    expect(await orphansListed()).toEqual([]);
  });

  it('keeps watching an account whose only VM left is an orphan', async () => {
    // Prepare
    const { runId, cloud } = await createdRun({ nodes: [{ name: 'db' }] });
    cloud.hold({ cloudId: 'vm-stray', tag: tagOf(runId, 'db', 2), state: 'running' });
    await monitorInstances(stack.deps);
    await terminateInstance({ runId, node: 'db', index: 1 }, stack.deps);
    cloud.calls.length = 0;

    // Act
    const report = await monitorInstances(stack.deps);

    // Assess
    expect(report.accounts).toBe(1);
    expect(report.orphans).toEqual(['vm-stray']);
    expect(cloud.calls).toEqual([{ op: 'listInstances', filter: undefined }]);
  });

  it('does not take a VM whose run is still creating it for an orphan', async () => {
    // Prepare: db.1 is created and watched; web.1's create made its VM but has not recorded it yet
    const world = await plannedRun(stack, { nodes: [{ name: 'db' }, { name: 'web' }] });
    await createInstance({ runId: world.runId, node: 'db', index: 1 }, stack.deps);
    world.cloud.whileCreating(async () => {
      await monitorInstances(stack.deps);
    });

    // Act
    await createInstance({ runId: world.runId, node: 'web', index: 1 }, stack.deps);

    // Assess
    expect(await orphansListed()).toEqual([]);
  });

  it('goes on with other accounts when one cloud fails, and says which', async () => {
    // Prepare
    const failing = await createdRun({ nodes: [{ name: 'db' }] });
    const healthy = await createdRun({ nodes: [{ name: 'db' }] });
    failing.cloud.failNext('listInstances', new TransientCloudError('the cloud is down'));
    healthy.cloud.setState(tagOf(healthy.runId, 'db'), 'running');

    // Act
    const report = await monitorInstances(stack.deps);

    // Assess
    expect(report.failed).toEqual([`${failing.connector}: the cloud is down`]);
    expect(report.updated).toBe(1);
  });
});
