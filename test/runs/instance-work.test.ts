import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceWork } from '#functions/runs/instance-work';
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

describe('instanceWork', () => {
  it('lists instance ids in the order met, with the smallest worker limit of the connectors used', async () => {
    // Prepare
    const instances = [
      { connector: 'west', node: 'web', index: 1 },
      { connector: 'east', node: 'db', index: 1 },
      { connector: 'west', node: 'web', index: 2 },
    ];
    // Act
    const work = await instanceWork(stack.deps.table, 'run_1', instances);
    // Assess
    expect(work).toEqual({
      maxIaasWorkers: 3,
      instances: [
        { runId: 'run_1', node: 'web', index: 1 },
        { runId: 'run_1', node: 'db', index: 1 },
        { runId: 'run_1', node: 'web', index: 2 },
      ],
    });
  });

  it("uses a single connector's own limit", async () => {
    const work = await instanceWork(stack.deps.table, 'run_3', [{ connector: 'west', node: 'web', index: 1 }]);
    expect(work.maxIaasWorkers).toBe(5);
  });

  it('lets one worker at a time work on a connector that no longer exists', async () => {
    // Act
    const work = await instanceWork(stack.deps.table, 'run_2', [
      { connector: 'gone', node: 'db', index: 1 },
      { connector: 'west', node: 'web', index: 1 },
    ]);
    // Assess
    expect(work).toEqual({
      maxIaasWorkers: 1,
      instances: [
        { runId: 'run_2', node: 'db', index: 1 },
        { runId: 'run_2', node: 'web', index: 1 },
      ],
    });
  });

  it('has nothing to do for a run without instances', async () => {
    expect(await instanceWork(stack.deps.table, 'run_4', [])).toEqual({ instances: [], maxIaasWorkers: 1 });
  });
});
