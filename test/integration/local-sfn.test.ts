import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#functions/commons/clients';
import type { TableClient } from '#functions/store/table-client';
import { LOCAL_AWS, ensureTable, startDynamo, type LocalDynamo } from '#infra/local/dynamodb';
import { stateMachineArn } from '#infra/local/sfn-arns';
import { definitionPlaceholders } from '#infra/local/sfn-placeholders';
import { LocalSfnRunner } from '#infra/local/sfn-runner';
import { startSfnServer, type SfnServer } from '#infra/local/sfn-server';
import { DEPLOY_DEFINITION, ToyCalls, toyStateMachines, WAIT_DEFINITION } from './support/toy-state-machines';

const DEPLOY = stateMachineArn('toy-deploy');
const PROVISION = stateMachineArn('toy-provision');
const WAIT = stateMachineArn('toy-wait');

let dynamo: LocalDynamo;
let table: TableClient;
let calls: ToyCalls;
let runner: LocalSfnRunner;
let server: SfnServer;
let sfn: SFNClient;

beforeAll(async () => {
  dynamo = await startDynamo();
  await ensureTable(dynamo.client, 'slipway-sfn-test');
  table = { doc: documentClient(dynamo.client), name: 'slipway-sfn-test' };
  calls = new ToyCalls();
  runner = new LocalSfnRunner({ table, stateMachines: toyStateMachines(calls) });
  server = await startSfnServer({ runner });
  sfn = new SFNClient({ endpoint: server.endpoint, ...LOCAL_AWS });
});

afterAll(async () => {
  sfn?.destroy();
  await server?.stop();
  await runner?.close();
  await dynamo?.stop();
});

let executions = 0;
/** A fresh execution name per call, so tests never meet. */
const uniqueName = (label: string) => `${label}-${++executions}`;

async function run(stateMachineArn: string, input: unknown, name = uniqueName('run')) {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  await runner.waitForEnd(executionArn!);
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

async function history(executionArn: string | undefined): Promise<HistoryEvent[]> {
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return events ?? [];
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('running definitions', () => {
  it('creates one instance per node through Task, Choice and Map, at most MaxConcurrencyPath at a time', async () => {
    // Prepare
    const input = { nodes: ['web-a', 'db-a', 'cache-a', 'queue-a'], maxWorkers: 2 };
    // Act
    const execution = await run(DEPLOY, input);
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!).instances).toEqual(input.nodes.map((node) => ({ node, vmId: `vm-${node}` })));
    expect(calls.maxConcurrentCreates).toBe(2);
  });

  it('retries a task that throws TransientCloudError twice and succeeds on the third attempt', async () => {
    // Prepare
    const input = { nodes: ['flaky-db'], maxWorkers: 1 };
    // Act
    const execution = await run(DEPLOY, input);
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.attempts.get('flaky-db')).toBe(3);
    const failures = (await history(execution.executionArn)).filter((event) => event.type === 'LambdaFunctionFailed');
    expect(failures.map((event) => event.lambdaFunctionFailedEventDetails?.error)).toEqual(['TransientCloudError', 'TransientCloudError']);
    expect(JSON.parse(failures[0]!.lambdaFunctionFailedEventDetails!.cause!)).toMatchObject({
      errorType: 'TransientCloudError',
      errorMessage: 'capacity busy for flaky-db',
    });
  });

  it('takes the Choice default, and skips the Map, when the plan has no nodes', async () => {
    // Act
    const execution = await run(DEPLOY, { nodes: [], maxWorkers: 2 });
    // Assess
    const events = await history(execution.executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    const succeeded = events.filter((event) => event.type === 'SucceedStateEntered');
    expect(succeeded.map((event) => event.stateEnteredEventDetails?.name)).toEqual(['NothingToDo']);
    expect(events.some((event) => event.type === 'MapStateEntered')).toBe(false);
  });

  it('routes a caught error to the fallback state with the error and its Lambda-style cause in ResultPath', async () => {
    // Act
    const execution = await run(PROVISION, { runId: 'run-permanent', outcome: 'permanent' });
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'DeploymentAborted', cause: 'Cleaned up after a permanent error' });
    const cleanups = calls.cleanups as { runId: string; failure: { Error: string; Cause: string } }[];
    const cleanup = cleanups.find((input) => input.runId === 'run-permanent')!;
    expect(cleanup.failure.Error).toBe('PermanentCloudError');
    expect(JSON.parse(cleanup.failure.Cause)).toMatchObject({
      errorType: 'PermanentCloudError',
      errorMessage: 'image unknown for run-permanent',
    });
  });

  it("records a caught task's failure as AWS does: LambdaFunctionFailed and no success for that call", async () => {
    // Act
    const execution = await run(PROVISION, { runId: 'run-permanent-history', outcome: 'permanent' });
    const events = await history(execution.executionArn);
    // Assess
    const failedAt = events.findIndex((event) => event.type === 'LambdaFunctionFailed');
    expect(failedAt).toBeGreaterThan(0);
    expect(events[failedAt + 1]?.type).toBe('TaskStateExited');
  });

  it('fails the execution with the error name when no Catch matches it, and runs no fallback', async () => {
    // Act
    const execution = await run(PROVISION, { runId: 'run-quota', outcome: 'quota' });
    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('CloudQuotaExceededError');
    expect(JSON.parse(execution.cause!).errorMessage).toBe('account limit reached for run-quota');
    expect(calls.cleanups.some((input) => (input as { runId: string }).runId === 'run-quota')).toBe(false);
  });
});

describe('StopExecution', () => {
  it('aborts a long Wait with the given error and cause, and never runs the state after it', async () => {
    // Prepare
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: WAIT, name: uniqueName('stop'), input: '{}' }));
    const whileWaiting = await history(executionArn);
    // Act
    const { stopDate } = await sfn.send(new StopExecutionCommand({ executionArn, error: 'RunTerminated', cause: 'user asked' }));
    // Assess
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(whileWaiting.map((event) => event.type)).toEqual(['ExecutionStarted', 'WaitStateEntered']);
    expect(execution).toMatchObject({ status: 'ABORTED', error: 'RunTerminated', cause: 'user asked', stopDate });
    const last = (await history(executionArn)).at(-1);
    expect(last).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'RunTerminated', cause: 'user asked' } });
    expect(calls.finishes).toBe(0);
  });
});

describe('StartExecution with a name already used', () => {
  it('returns the running execution when the input is the same', async () => {
    // Prepare
    const name = uniqueName('dup');
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: WAIT, name, input: '{"runId":"r1","n":1}' }));
    // Act
    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn: WAIT, name, input: '{ "n": 1, "runId": "r1" }' }));
    // Assess
    expect(second).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
  });

  it('is ExecutionAlreadyExists when the input differs', async () => {
    // Prepare
    const name = uniqueName('dup');
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: WAIT, name, input: '{"runId":"r1"}' }));
    // Act
    const error = await rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: WAIT, name, input: '{"runId":"r2"}' })));
    // Assess
    expect(error).toBeInstanceOf(ExecutionAlreadyExists);
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
  });

  it('is ExecutionAlreadyExists once that execution has ended, even with the same input', async () => {
    // Prepare
    const name = uniqueName('ended');
    await run(PROVISION, { runId: 'run-ended' }, name);
    // Act
    const again = new StartExecutionCommand({ stateMachineArn: PROVISION, name, input: '{"runId":"run-ended"}' });
    const error = await rejection(sfn.send(again));
    // Assess
    expect(error).toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('starts a single execution when two calls race with one name', async () => {
    // Prepare
    const name = uniqueName('race');
    const input = JSON.stringify({ runId: name, outcome: 'slow' });
    const start = () => sfn.send(new StartExecutionCommand({ stateMachineArn: PROVISION, name, input }));
    // Act
    const [a, b] = await Promise.all([start(), start()]);
    await runner.waitForEnd(a.executionArn!);
    // Assess
    expect(b).toMatchObject({ executionArn: a.executionArn, startDate: a.startDate });
    expect(calls.attempts.get(name)).toBe(1);
  });
});

describe('reading executions', () => {
  it('GetExecutionHistory gives AWS-shaped events in order, paged and reversible', async () => {
    // Prepare
    const { executionArn } = await run(PROVISION, { runId: 'run-history' });
    // Act
    const all = await history(executionArn);
    const firstPage = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4 }));
    const secondPage = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4, nextToken: firstPage.nextToken }));
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));
    // Assess
    expect(all.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(all.map((event) => [event.id, event.previousEventId])).toEqual(all.map((_, i) => [i + 1, i]));
    expect(all[1]!.stateEnteredEventDetails).toEqual({ name: 'Provision', input: '{"runId":"run-history"}' });
    expect(JSON.parse(all[5]!.stateExitedEventDetails!.output!)).toEqual({ runId: 'run-history', vmId: 'vm-run-history' });
    expect(all[0]!.timestamp).toBeInstanceOf(Date);
    expect([...firstPage.events!, ...secondPage.events!]).toEqual(all.slice(0, 8));
    expect(reversed.events).toEqual([...all].reverse());
  });

  it('ListExecutions lists newest first, filters by status and pages', async () => {
    // Prepare
    const names = [uniqueName('list'), uniqueName('list')];
    for (const name of names) await run(PROVISION, { runId: name }, name);
    // Act
    const newest = await sfn.send(new ListExecutionsCommand({ stateMachineArn: PROVISION, maxResults: 2 }));
    const next = await sfn.send(new ListExecutionsCommand({ stateMachineArn: PROVISION, maxResults: 2, nextToken: newest.nextToken }));
    const failed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: PROVISION, statusFilter: 'FAILED' }));
    // Assess
    expect(newest.executions!.map((execution) => execution.name)).toEqual([...names].reverse());
    expect(next.executions!.length).toBeGreaterThan(0);
    expect(next.executions!.some((execution) => names.includes(execution.name!))).toBe(false);
    expect(failed.executions!.length).toBeGreaterThan(0);
    expect(failed.executions!.every((execution) => execution.status === 'FAILED')).toBe(true);
  });

  it('DescribeStateMachine shows the definition with placeholders replaced by function ARNs', async () => {
    // Act
    const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: WAIT }));
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    // Assess
    const finish = JSON.parse(machine.definition!).States.Finish;
    expect(finish.Resource).toBe('arn:aws:lambda:us-east-1:000000000000:function:slipway-FinishFunctionArn');
    expect(listed.stateMachines!.map((entry) => entry.name)).toEqual(['toy-deploy', 'toy-provision', 'toy-wait']);
  });
});

describe('API errors', () => {
  it('reach the SDK as its named exception classes', async () => {
    // Prepare
    const missing = 'arn:aws:states:us-east-1:000000000000:execution:toy-wait:never-started';
    // Act
    const errors = await Promise.all([
      rejection(sfn.send(new DescribeExecutionCommand({ executionArn: missing }))),
      rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('toy-nothing') }))),
      rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: WAIT, name: 'has space' }))),
      rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: WAIT, input: '{not json' }))),
      rejection(sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' }))),
    ]);
    // Assess
    expect(errors[0]).toBeInstanceOf(ExecutionDoesNotExist);
    expect(errors[1]).toBeInstanceOf(StateMachineDoesNotExist);
    expect(errors[2]).toBeInstanceOf(InvalidName);
    expect(errors[3]).toBeInstanceOf(InvalidExecutionInput);
    expect(errors[4]).toBeInstanceOf(InvalidArn);
  });

  it('an unknown operation is a 400 UnknownOperationException', async () => {
    // Act
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSStepFunctions.CreateStateMachine', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});

describe('definitions', () => {
  it('a Task placeholder without a handler fails at construction, naming it', () => {
    // Act
    const construct = () => new LocalSfnRunner({ table, stateMachines: [{ name: 'toy-wait', definition: WAIT_DEFINITION, tasks: {} }] });
    // Assess
    expect(construct).toThrow(/unknown placeholder \$\{FinishFunctionArn\} in Task state "Finish"/);
  });

  it('definitionPlaceholders finds the placeholders of Map item processors and Parallel branches', () => {
    // Prepare
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [DEPLOY_DEFINITION, { StartAt: 'Tidy', States: { Tidy: { Type: 'Task', Resource: '${TidyFunctionArn}', End: true } } }],
        },
      },
    };
    // Act
    const placeholders = definitionPlaceholders(definition);
    // Assess
    expect(placeholders).toEqual(['CreateInstanceFunctionArn', 'PlanFunctionArn', 'TidyFunctionArn']);
  });

  it('two Task states with one name and different placeholders are refused', () => {
    // Prepare
    const definition = {
      StartAt: 'Create',
      States: {
        Create: { Type: 'Task', Resource: '${A}', Next: 'Each' },
        Each: {
          Type: 'Map',
          End: true,
          ItemProcessor: { StartAt: 'Create', States: { Create: { Type: 'Task', Resource: '${B}', End: true } } },
        },
      },
    };
    const tasks = { A: async () => null, B: async () => null };
    // Act
    const construct = () => new LocalSfnRunner({ table, stateMachines: [{ name: 'toy-clash', definition, tasks }] });
    // Assess
    expect(construct).toThrow(/two Task states are named "Create"/);
  });
});

describe('after a restart', () => {
  /** A runner with its own server and SDK client, as one process of the local stack. */
  async function serve(stateMachines: ReturnType<typeof toyStateMachines>, on: TableClient) {
    const process = new LocalSfnRunner({ table: on, stateMachines });
    const processServer = await startSfnServer({ runner: process });
    const client = new SFNClient({ endpoint: processServer.endpoint, ...LOCAL_AWS });
    const shutDown = async () => {
      client.destroy();
      await processServer.stop();
      await process.close();
    };
    return { runner: process, client, shutDown };
  }

  /**
   * A table (of its own) where a runner was closed while `Provision` ran, leaving that
   * execution RUNNING, after it had finished another one.
   */
  async function tableWithInterruptedExecution(tableName: string) {
    await ensureTable(dynamo.client, tableName);
    const on: TableClient = { doc: table.doc, name: tableName };
    let entered!: () => void;
    let release!: () => void;
    const provisionEntered = new Promise<void>((resolve) => (entered = resolve));
    const provisionReleased = new Promise<void>((resolve) => (release = resolve));
    const before = await serve(
      toyStateMachines(new ToyCalls(), async () => {
        entered();
        await provisionReleased;
        return { by: 'the closed runner' };
      }),
      on,
    );
    const finished = await before.client.send(
      new StartExecutionCommand({ stateMachineArn: DEPLOY, name: 'run-finished', input: '{"nodes":[],"maxWorkers":1}' }),
    );
    await before.runner.waitForEnd(finished.executionArn!);
    const interrupted = await before.client.send(
      new StartExecutionCommand({ stateMachineArn: PROVISION, name: 'run-interrupted', input: '{"runId":"run-interrupted"}' }),
    );
    await provisionEntered;
    await before.shutDown();
    // The closed runner's handler finishes in the background; nothing may come of it.
    release();
    return { on, interruptedArn: interrupted.executionArn!, finishedArn: finished.executionArn! };
  }

  it('resumeInterrupted on a new runner finishes, under the same name, what a closed runner left RUNNING', async () => {
    // Prepare
    const { on, interruptedArn } = await tableWithInterruptedExecution('slipway-sfn-resume');
    const after = await serve(
      toyStateMachines(new ToyCalls(), async () => ({ by: 'the new runner' })),
      on,
    );
    const left = await after.client.send(new DescribeExecutionCommand({ executionArn: interruptedArn }));
    // Act
    const { resumed } = await after.runner.resumeInterrupted();
    await after.runner.waitForEnd(interruptedArn);
    // Assess
    const ended = await after.client.send(new DescribeExecutionCommand({ executionArn: interruptedArn }));
    expect(left.status).toBe('RUNNING');
    expect(resumed).toEqual([interruptedArn]);
    expect(ended).toMatchObject({ status: 'SUCCEEDED', name: 'run-interrupted', input: '{"runId":"run-interrupted"}' });
    expect(JSON.parse(ended.output!)).toEqual({ by: 'the new runner' });
    expect(await after.runner.resumeInterrupted()).toEqual({ resumed: [], skipped: [] });
    await after.shutDown();
  });

  it('a new runner reads the history of an execution the closed runner finished', async () => {
    // Prepare
    const { on, finishedArn } = await tableWithInterruptedExecution('slipway-sfn-history');
    const after = await serve(toyStateMachines(new ToyCalls()), on);
    // Act
    const { events } = await after.client.send(new GetExecutionHistoryCommand({ executionArn: finishedArn }));
    // Assess
    expect(events!.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    await after.shutDown();
  });

  it('StopExecution of an interrupted execution aborts it, and resumeInterrupted then leaves it alone', async () => {
    // Prepare
    const { on, interruptedArn } = await tableWithInterruptedExecution('slipway-sfn-stop-interrupted');
    const after = await serve(toyStateMachines(new ToyCalls()), on);
    // Act
    await after.client.send(new StopExecutionCommand({ executionArn: interruptedArn, error: 'RunTerminated' }));
    const { resumed } = await after.runner.resumeInterrupted();
    // Assess
    const stopped = await after.client.send(new DescribeExecutionCommand({ executionArn: interruptedArn }));
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'RunTerminated' });
    expect(resumed).toEqual([]);
    await after.shutDown();
  });
});
