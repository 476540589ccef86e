/**
 * Toy state machines in the shape CDK deploys (every Task `Resource` a
 * `${Variable}` placeholder), with handlers whose behaviour the input decides,
 * so one runner serves every test and each test reads what it started.
 */
import { CloudQuotaExceededError, PermanentCloudError, TransientCloudError } from '#connectors/errors';
import type { LocalStateMachine } from '#infra/local/sfn-runner';

/** Plan, then create one instance per node, `maxWorkers` at a time, retrying transient errors. */
export const DEPLOY_DEFINITION = {
  Comment: 'Toy deploy: Task, Choice, Map with MaxConcurrencyPath and Retry',
  StartAt: 'Plan',
  States: {
    Plan: { Type: 'Task', Resource: '${PlanFunctionArn}', Next: 'AnyNodes' },
    AnyNodes: {
      Type: 'Choice',
      Choices: [{ Variable: '$.nodeCount', NumericGreaterThan: 0, Next: 'CreateInstances' }],
      Default: 'NothingToDo',
    },
    CreateInstances: {
      Type: 'Map',
      ItemsPath: '$.nodes',
      MaxConcurrencyPath: '$.maxWorkers',
      ResultPath: '$.instances',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'CreateInstance',
        States: {
          CreateInstance: {
            Type: 'Task',
            Resource: '${CreateInstanceFunctionArn}',
            Retry: [{ ErrorEquals: ['TransientCloudError'], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 3 }],
            End: true,
          },
        },
      },
      Next: 'Deployed',
    },
    Deployed: { Type: 'Succeed' },
    NothingToDo: { Type: 'Succeed' },
  },
};

/** Provision; a permanent error is caught and routed to Cleanup, which ends in a Fail state. */
export const PROVISION_DEFINITION = {
  StartAt: 'Provision',
  States: {
    Provision: {
      Type: 'Task',
      Resource: '${ProvisionFunctionArn}',
      Catch: [{ ErrorEquals: ['PermanentCloudError'], ResultPath: '$.failure', Next: 'Cleanup' }],
      Next: 'Provisioned',
    },
    Provisioned: { Type: 'Succeed' },
    Cleanup: { Type: 'Task', Resource: '${CleanupFunctionArn}', Next: 'Aborted' },
    Aborted: { Type: 'Fail', Error: 'DeploymentAborted', Cause: 'Cleaned up after a permanent error' },
  },
};

/** Waits an hour for boot, then finishes: only StopExecution ends it in a test's time. */
export const WAIT_DEFINITION = {
  StartAt: 'WaitForBoot',
  States: {
    WaitForBoot: { Type: 'Wait', Seconds: 3600, Next: 'Finish' },
    Finish: { Type: 'Task', Resource: '${FinishFunctionArn}', End: true },
  },
};

/** What the toy handlers did, for the tests to assess. */
export class ToyCalls {
  readonly attempts = new Map<string, number>();
  readonly cleanups: unknown[] = [];
  finishes = 0;
  maxConcurrentCreates = 0;
  private activeCreates = 0;

  count(key: string): number {
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    return attempt;
  }

  async create(node: string): Promise<{ node: string; vmId: string }> {
    const attempt = this.count(node);
    this.activeCreates += 1;
    this.maxConcurrentCreates = Math.max(this.maxConcurrentCreates, this.activeCreates);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (node.startsWith('flaky') && attempt <= 2) throw new TransientCloudError(`capacity busy for ${node}`);
      return { node, vmId: `vm-${node}` };
    } finally {
      this.activeCreates -= 1;
    }
  }
}

type ProvisionInput = { runId: string; outcome?: 'ok' | 'slow' | 'permanent' | 'quota' };

/** The toy machines with handlers recording into `calls`; `provision` can be swapped to block. */
export function toyStateMachines(
  calls: ToyCalls,
  provision: (input: ProvisionInput) => Promise<unknown> = async (input) => provisionByOutcome(calls, input),
): LocalStateMachine[] {
  return [
    {
      name: 'toy-deploy',
      definition: DEPLOY_DEFINITION,
      tasks: {
        PlanFunctionArn: async (input) => {
          const { nodes, maxWorkers } = input as { nodes: string[]; maxWorkers: number };
          return { nodes, maxWorkers, nodeCount: nodes.length };
        },
        CreateInstanceFunctionArn: async (node) => calls.create(node as string),
      },
    },
    {
      name: 'toy-provision',
      definition: PROVISION_DEFINITION,
      tasks: {
        ProvisionFunctionArn: async (input) => provision(input as ProvisionInput),
        CleanupFunctionArn: async (input) => {
          calls.cleanups.push(input);
          return input;
        },
      },
    },
    {
      name: 'toy-wait',
      definition: WAIT_DEFINITION,
      tasks: {
        FinishFunctionArn: async () => {
          calls.finishes += 1;
          return { finished: true };
        },
      },
    },
  ];
}

async function provisionByOutcome(calls: ToyCalls, input: ProvisionInput): Promise<unknown> {
  calls.count(input.runId);
  if (input.outcome === 'slow') await new Promise((resolve) => setTimeout(resolve, 300));
  if (input.outcome === 'permanent') throw new PermanentCloudError(`image unknown for ${input.runId}`);
  if (input.outcome === 'quota') throw new CloudQuotaExceededError(`account limit reached for ${input.runId}`);
  return { runId: input.runId, vmId: `vm-${input.runId}` };
}
