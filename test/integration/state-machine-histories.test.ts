/**
 * The deploy and terminate state machines as they really run: the local stack with
 * the `sim` cloud, each execution's history read back from the local Step Functions
 * endpoint, asserting which states ran, in which order, and what was retried.
 */
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AWS } from '#infra/local/dynamodb';
import { stateMachineArn } from '#infra/local/sfn-arns';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { DEPLOY, STATE_MACHINES, TEARDOWN } from '#infra/state-machines/state-names';
import { executionArn } from '#functions/runs/run-executions';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser } from '#test/support/world';

let stack: LocalStack;
let api: ApiClient;
let sfn: SFNClient;
let alice: { id: string; key: string };

/** The states the deploy machine runs before its boot loop, for a one-VM run. */
const PROVISIONING = [DEPLOY.initializeRun, DEPLOY.createInstances, DEPLOY.createInstance, DEPLOY.startExecuting];
/** One turn of the boot loop. */
const BOOT_POLL = [DEPLOY.waitForBoot, DEPLOY.checkInstances, DEPLOY.isEveryInstanceReady];
/** The teardown both machines end with, for a one-VM run. */
const TEARDOWN_STATES = [TEARDOWN.terminateInstances, TEARDOWN.terminateInstance, TEARDOWN.finalizeRun];

const deployArn = (runId: string) => executionArn(stateMachineArn(STATE_MACHINES.deploy), runId);
const terminateArn = (runId: string) => executionArn(stateMachineArn(STATE_MACHINES.terminate), runId);

/** The full history of an execution once it has ended (the run's state changes a few states before the end). */
async function history(arn: string): Promise<HistoryEvent[]> {
  await waitFor(`the end of ${arn}`, async () =>
    (await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status === 'RUNNING' ? undefined : true,
  );
  return historySoFar(arn);
}

async function historySoFar(arn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The names of the states entered, in order, with each repeated boot poll folded into one. */
function statesEntered(events: HistoryEvent[]): string[] {
  const names = events.flatMap((event) => (event.type?.endsWith('StateEntered') ? [event.stateEnteredEventDetails!.name!] : []));
  const folded: string[] = [];
  for (const name of names) {
    folded.push(name);
    const last = folded.slice(-2 * BOOT_POLL.length);
    if (last.length === 2 * BOOT_POLL.length && last.every((n, i) => n === BOOT_POLL[i % BOOT_POLL.length])) folded.splice(-BOOT_POLL.length);
  }
  return folded;
}

/** What happened inside one Task state: how many times its Lambda was invoked, and the errors it failed with. */
function taskAttempts(events: HistoryEvent[], state: string): { attempts: number; failures: string[] } {
  const result = { attempts: 0, failures: [] as string[] };
  let inState = false;
  for (const event of events) {
    if (event.type?.endsWith('StateEntered')) inState = event.stateEnteredEventDetails?.name === state;
    if (!inState) continue;
    if (event.type === 'LambdaFunctionScheduled') result.attempts++;
    if (event.type === 'LambdaFunctionFailed') result.failures.push(event.lambdaFunctionFailedEventDetails!.error!);
  }
  return result;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let deployments = 0;
/** A one-VM deployment on a new sim connector with `settings`; returns the connector's name and the deployment's. */
async function oneVmDeployment(settings: Record<string, unknown>) {
  const n = ++deployments;
  const connector = `sim-history-${n}`;
  await createSimConnector(api, stack.adminKey, connector, settings);
  await api.post('/credentials', alice.key, { connector, secrets: { apiKey: 'demo', apiSecret: 'not-a-real-secret' } });
  await api.post('/images', alice.key, { name: `base-${n}`, cloudImageIds: { [connector]: 'sim-ubuntu-22.04' } });
  const deployment = await api.post('/deployments', alice.key, { name: `single-${n}`, nodes: [{ name: 'app', image: `base-${n}` }] });
  if (deployment.status !== 201) throw new Error(deployment.text);
  return { connector, deployment: deployment.body.name as string };
}

async function launch(settings: Record<string, unknown>) {
  const { connector, deployment } = await oneVmDeployment(settings);
  const launched = await api.post('/runs', alice.key, { deployment, connector });
  if (launched.status !== 201) throw new Error(launched.text);
  return { connector, runId: launched.body.id as string };
}

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 60_000 });
  api = apiClient(stack.apiUrl);
  sfn = new SFNClient({ endpoint: stack.stepFunctionsEndpoint, ...LOCAL_AWS });
  alice = await createUser(api, stack.adminKey, 'alice');
});

afterAll(async () => {
  sfn?.destroy();
  await stack?.stop();
});

describe('the deploy state machine', () => {
  it('runs provisioning, polls until the VM is ready, and ends at MarkReady', async () => {
    // Prepare
    const { runId } = await launch({ bootSeconds: 1 });
    // Act
    await api.waitForRun(runId, alice.key, ['Ready', 'Aborted']);
    // Assess
    const events = await history(deployArn(runId));
    expect(statesEntered(events)).toEqual([...PROVISIONING, ...BOOT_POLL, DEPLOY.markReady]);
    expect(taskAttempts(events, DEPLOY.createInstance)).toEqual({ attempts: 1, failures: [] });
    expect(events.at(-1)!.type).toBe('ExecutionSucceeded');
  });

  it('retries a create that failed transiently within the same state, and goes on to Ready', async () => {
    // Prepare: every create fails until the first failure is seen, then the cloud recovers.
    const { runId, connector } = await launch({ bootSeconds: 1, transientFailureRate: 1, seed: 3 });
    await waitFor('a failed create', async () =>
      taskAttempts(await historySoFar(deployArn(runId)), DEPLOY.createInstance).failures.length ? true : undefined,
    );
    const current = (await api.get(`/connectors/${connector}`, stack.adminKey)).body;
    const recovered = await api.put(`/connectors/${connector}`, stack.adminKey, {
      kind: 'sim',
      defaultQuotaVms: current.defaultQuotaVms,
      maxIaasWorkers: current.maxIaasWorkers,
      settings: { bootSeconds: 1 },
      version: current.version,
    });
    // Act
    const run = await api.waitForRun(runId, alice.key, ['Ready', 'Aborted']);
    // Assess
    const events = await history(deployArn(runId));
    const { attempts, failures } = taskAttempts(events, DEPLOY.createInstance);
    expect(recovered.status).toBe(200);
    expect(run.state).toBe('Ready');
    expect(statesEntered(events)).toEqual([...PROVISIONING, ...BOOT_POLL, DEPLOY.markReady]);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures).toEqual(failures.map(() => 'TransientCloudError'));
    expect(attempts).toBe(failures.length + 1);
  });

  it('catches a permanent create failure into RecordFailure and the teardown, and fails with RunAborted and the reason', async () => {
    // Prepare
    const { runId } = await launch({ bootSeconds: 1, permanentFailureRate: 1 });
    // Act
    const run = await api.waitForRun(runId, alice.key, ['Ready', 'Aborted']);
    // Assess
    const events = await history(deployArn(runId));
    expect(run.state).toBe('Aborted');
    expect(statesEntered(events)).toEqual([...PROVISIONING.slice(0, 3), DEPLOY.recordFailure, ...TEARDOWN_STATES]);
    expect(taskAttempts(events, DEPLOY.createInstance)).toEqual({ attempts: 1, failures: ['PermanentCloudError'] });
    expect(taskAttempts(events, TEARDOWN.finalizeRun)).toEqual({ attempts: 1, failures: ['RunAborted'] });
    const failed = events.at(-1)!;
    expect(failed).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'RunAborted' } });
    // As Lambda reports a function error: the cause is its JSON, whose message is the run's abortReason.
    expect(JSON.parse(failed.executionFailedEventDetails!.cause!)).toMatchObject({ errorType: 'RunAborted', errorMessage: run.abortReason });
  });

  it('aborts an unsatisfiable run at InitializeRun, straight into the teardown', async () => {
    // Prepare
    const { connector, deployment } = await oneVmDeployment({ bootSeconds: 1 });
    await createSimConnector(api, stack.adminKey, `${connector}-other`);
    // Act
    const launched = await api.post('/runs', alice.key, { deployment, connector: `${connector}-other` });
    const run = await api.waitForRun(launched.body.id, alice.key, ['Ready', 'Aborted']);
    // Assess
    const events = await history(deployArn(run.id));
    expect(run.abortReason).toMatch(/^The run cannot be satisfied: /);
    expect(statesEntered(events)).toEqual([DEPLOY.initializeRun, DEPLOY.recordFailure, TEARDOWN.terminateInstances, TEARDOWN.finalizeRun]);
    expect(taskAttempts(events, DEPLOY.initializeRun)).toEqual({ attempts: 1, failures: ['RunNotSatisfiableError'] });
  });
});

describe('the terminate state machine', () => {
  it('finalizes a Ready run: terminates its VM, then releases its quota and ends the run at FinalizeRun', async () => {
    // Prepare
    const { runId } = await launch({ bootSeconds: 1 });
    await api.waitForRun(runId, alice.key, ['Ready', 'Aborted']);
    // Act
    await api.post(`/runs/${runId}/terminate`, alice.key);
    const run = await api.waitForRun(runId, alice.key, ['Done', 'Aborted']);
    // Assess
    const events = await history(terminateArn(runId));
    expect(run.state).toBe('Done');
    expect(statesEntered(events)).toEqual([TEARDOWN.beginFinalizing, ...TEARDOWN_STATES]);
    expect(events.at(-1)!.type).toBe('ExecutionSucceeded');
  });
});
