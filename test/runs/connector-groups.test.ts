import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByConnector } from '#functions/runs/connector-groups';
import { createConnector } from '#functions/store/connectors';
import { startStepStack, type StepStack } from '#test/runs/support/step-stack';

let stack: StepStack;

beforeAll(async () => {
  stack = await startStepStack();
  for (const [name, maxIaasWorkers] of [
    ['east', 3],
    ['west', 5],
  ] as const) {
    await createConnector(stack.deps.table, { name, kind: 'sim', maxIaasWorkers, defaultQuotaVms: 10, settings: {} }, 'usr_admin', new Date());
  }
});

afterAll(async () => {
  await stack?.stop();
});

describe('groupByConnector', () => {
  it("groups instance ids by connector, in the order met, with each connector's worker limit", async () => {
    // Prepare
    const instances = [
      { connector: 'west', node: 'web', index: 1 },
      { connector: 'east', node: 'db', index: 1 },
      { connector: 'west', node: 'web', index: 2 },
    ];
    // Act
    const groups = await groupByConnector(stack.deps.table, 'run_1', instances);
    // Assess
    expect(groups).toEqual([
      {
        connector: 'west',
        maxIaasWorkers: 5,
        instances: [
          { runId: 'run_1', node: 'web', index: 1 },
          { runId: 'run_1', node: 'web', index: 2 },
        ],
      },
      { connector: 'east', maxIaasWorkers: 3, instances: [{ runId: 'run_1', node: 'db', index: 1 }] },
    ]);
  });

  it('lets one worker at a time work on a connector that no longer exists', async () => {
    // Act
    const groups = await groupByConnector(stack.deps.table, 'run_2', [{ connector: 'gone', node: 'db', index: 1 }]);
    // Assess
    expect(groups).toEqual([{ connector: 'gone', maxIaasWorkers: 1, instances: [{ runId: 'run_2', node: 'db', index: 1 }] }]);
  });

  it('makes no group for no instance', async () => {
    // Act
    const groups = await groupByConnector(stack.deps.table, 'run_3', []);
    // Assess
    expect(groups).toEqual([]);
  });
});
