import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PermanentCloudError } from '#connectors/errors';
import { hashToken } from '#functions/commons/api-keys';
import { createInstance } from '#functions/steps/create-instance';
import { terminateInstance } from '#functions/steps/terminate-instance';
import { getItem } from '#functions/store/items';
import { keys } from '#functions/store/keys';
import { updateInstance } from '#functions/store/runs';
import { instancesOf, plannedRun, rejectionOf, tagOf } from '#test/runs/support/run-world';
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

describe('CreateInstance', () => {
  it('makes one VM for a planned instance and records its cloud id, state, address and creation time', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    stack.setNow(new Date('2031-03-04T05:06:07.000Z'));
    // Act
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    stack.setNow(undefined);
    const vm = cloud.vmFor(tagOf(runId, 'db'))!;
    expect(cloud.callsOf('createInstance')).toHaveLength(1);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({
      phase: 'created',
      cloudId: vm.cloudId,
      state: 'pending',
      rawState: 'BUILD',
      ip: vm.ip,
      createdAt: '2031-03-04T05:06:07.000Z',
      parameters: { instanceid: vm.cloudId, hostname: vm.ip, ip: vm.ip },
    });
  });

  it('asks the cloud for the planned image, tagged with run, node and index, under the instance name', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    // Act
    await createInstance({ runId, node: 'web', index: 2 }, stack.deps);
    // Assess
    const request = cloud.callsOf('createInstance')[0]!.request;
    expect(request).toMatchObject({ tag: { run: runId, node: 'web', index: 2 }, name: 'web.2', imageId: 'img-native' });
    expect(request.boot).toMatchObject({ outputs: [], readiness: 'running', callbackUrl: undefined });
  });

  it("asks for the image's machine size and hands the VM its recipe and the outputs it must report", async () => {
    // Prepare
    const machine = { instanceType: 'm1.large', cpu: 4, ramMb: 8192, diskGb: 40 };
    const { runId, cloud } = await plannedRun(stack, { nodes: [{ name: 'db', outputs: ['port'], recipe: 'apt-get install -y mysql-server', machine }] });
    // Act
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    const request = cloud.callsOf('createInstance')[0]!.request;
    expect(request).toMatchObject(machine);
    expect(request.boot).toMatchObject({ recipe: 'apt-get install -y mysql-server', outputs: [{ name: 'port' }], readiness: 'callback', inputs: {} });
  });

  it('hands the VM the inputs already published by the nodes it depends on', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    await updateInstance(stack.deps.table, tagOf(runId, 'db'), { parameters: { hostname: 'db-1.example' } });
    // Act
    await createInstance({ runId, node: 'web', index: 1 }, stack.deps);
    // Assess
    expect(cloud.callsOf('createInstance')[0]!.request.boot.inputs).toEqual({ db_host: 'db-1.example' });
  });

  it("gives the VM the run's parameters URL when the API URL is known", async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    const deps = { ...stack.deps, config: { ...stack.deps.config, apiUrl: () => 'https://api.example' } };
    // Act
    await createInstance({ runId, node: 'db', index: 1 }, deps);
    // Assess
    expect(cloud.callsOf('createInstance')[0]!.request.boot.callbackUrl).toBe(`https://api.example/v1/runs/${runId}/parameters`);
  });

  it('hands the VM a run token that the table knows by its hash, for this run and instance', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    // Act
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    const token = cloud.callsOf('createInstance')[0]!.request.boot.token!;
    const stored = await getItem(stack.deps.table, keys.apiKey(hashToken(token)));
    expect(token).toMatch(/^run_/);
    expect((await instancesOf(stack, runId))['db.1']!.tokenHash).toBe(hashToken(token));
    expect(stored).toMatchObject({ runId, instance: 'db.1' });
  });

  it('terminates the VM it just made when teardown claimed the instance during the create', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    cloud.whileCreating(() => terminateInstance({ runId, node: 'db', index: 1 }, stack.deps));
    // Act
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    const made = cloud.vmFor(tagOf(runId, 'db'))!;
    expect(cloud.callsOf('terminateInstance').map((call) => call.cloudId)).toContain(made.cloudId);
    expect(cloud.liveVms()).toEqual([]);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ phase: 'terminated', state: 'terminated' });
  });

  it('terminates the VM it just made when teardown claimed the instance before the cloud listed the VM', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    cloud.lagListings().whileCreating(() => terminateInstance({ runId, node: 'db', index: 1 }, stack.deps));
    // Act
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    const made = cloud.vmFor(tagOf(runId, 'db'))!;
    expect(cloud.callsOf('terminateInstance')).toEqual([{ op: 'terminateInstance', cloudId: made.cloudId }]);
    expect(cloud.liveVms()).toEqual([]);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ phase: 'terminated' });
  });

  it('terminates the VM of a create whose response was lost, when teardown claimed the instance meanwhile', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    cloud
      .lagListings()
      .loseNextCreateResponse()
      .whileCreating(() => terminateInstance({ runId, node: 'db', index: 1 }, stack.deps));
    // Act
    const error = await rejectionOf(createInstance({ runId, node: 'db', index: 1 }, stack.deps));
    // Assess
    expect(error.name).toBe('TransientCloudError');
    expect(cloud.callsOf('terminateInstance')).toHaveLength(1);
    expect(cloud.liveVms()).toEqual([]);
  });

  it('terminates nothing twice when teardown already terminated the VM of a create whose response was lost', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    cloud.loseNextCreateResponse().whileCreating(() => terminateInstance({ runId, node: 'db', index: 1 }, stack.deps));
    // Act
    await rejectionOf(createInstance({ runId, node: 'db', index: 1 }, stack.deps));
    // Assess
    expect(cloud.callsOf('terminateInstance')).toHaveLength(1);
    expect(cloud.liveVms()).toEqual([]);
  });

  it('reads inputs from every instance of the source node in index order, wherever the node sorts', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack, {
      nodes: [
        { name: 'app', inputs: { store: 'zdb:hostname' } },
        { name: 'zdb', multiplicity: 2, outputs: ['hostname'] },
      ],
    });
    await updateInstance(stack.deps.table, tagOf(runId, 'zdb', 1), { parameters: { hostname: 'zdb-1.example' } });
    await updateInstance(stack.deps.table, tagOf(runId, 'zdb', 2), { parameters: { hostname: 'zdb-2.example' } });
    // Act
    await createInstance({ runId, node: 'app', index: 1 }, stack.deps);
    // Assess
    expect(cloud.callsOf('createInstance')[0]!.request.boot.inputs).toEqual({ store: 'zdb-1.example,zdb-2.example' });
  });

  it('finds the VM made by an attempt whose response was lost, instead of making a second one', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    cloud.loseNextCreateResponse();
    const lost = await rejectionOf(createInstance({ runId, node: 'db', index: 1 }, stack.deps));
    // Act
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    expect(lost.name).toBe('TransientCloudError');
    expect(cloud.callsOf('createInstance')).toHaveLength(2);
    expect(cloud.liveVms()).toHaveLength(1);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ phase: 'created', cloudId: cloud.liveVms()[0]!.cloudId });
  });

  it('does not call the cloud again for an instance already created', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Act
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    expect(cloud.callsOf('createInstance')).toHaveLength(1);
  });

  it('does not call the cloud for an instance that teardown claimed first', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    await terminateInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Act
    await createInstance({ runId, node: 'db', index: 1 }, stack.deps);
    // Assess
    expect(cloud.calls).toEqual([]);
    expect((await instancesOf(stack, runId))['db.1']!.phase).toBe('terminated');
  });

  it('passes a cloud refusal on as the error the state machine catches', async () => {
    // Prepare
    const { runId, cloud } = await plannedRun(stack);
    cloud.failNext('createInstance', new PermanentCloudError('image img-native does not exist'));
    // Act
    const error = await rejectionOf(createInstance({ runId, node: 'db', index: 1 }, stack.deps));
    // Assess
    expect(error).toBeInstanceOf(PermanentCloudError);
    expect((await instancesOf(stack, runId))['db.1']).toMatchObject({ phase: 'creating' });
  });

  it('fails naming the instance when it was never planned', async () => {
    // Prepare
    const { runId } = await plannedRun(stack);
    // Act
    const error = await rejectionOf(createInstance({ runId, node: 'cache', index: 1 }, stack.deps));
    // Assess
    expect(error.message).toBe(`instance cache.1 of run ${runId} was never planned`);
  });
});
