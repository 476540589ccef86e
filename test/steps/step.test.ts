import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { TransientCloudError } from '#connectors/errors';
import type { AppDeps } from '#functions/commons/deps';
import { stepHandler } from '#functions/steps/step';

const context = { awsRequestId: 'req-1', functionName: 'slipway-step' } as Context;
const deps = { marker: 'test deps' } as unknown as AppDeps;

describe('stepHandler', () => {
  it("hands the step the state machine's input and the deps, and returns what the step returns", async () => {
    // Prepare
    const seen: unknown[] = [];
    const handler = stepHandler(
      async (input: { runId: string }, given: AppDeps) => {
        seen.push(input, given);
        return { state: 'Done' };
      },
      { name: 'FinalizeRun', deps: () => deps },
    );
    // Act
    const output = await handler({ runId: 'run_1' }, context);
    // Assess
    expect(output).toEqual({ state: 'Done' });
    expect(seen).toEqual([{ runId: 'run_1' }, deps]);
  });

  it('takes the deps factory alone, as tests pass it', async () => {
    // Prepare
    const handler = stepHandler(
      async (_: unknown, given: AppDeps) => given,
      () => deps,
    );
    // Act
    const output = await handler({ runId: 'run_2' }, context);
    // Assess
    expect(output).toBe(deps);
  });

  it("passes the step's failure on unchanged, for the state machine's Retry and Catch", async () => {
    // Prepare
    const failure = new TransientCloudError('cloud busy');
    const handler = stepHandler(
      async () => {
        throw failure;
      },
      { name: 'CreateInstance', deps: () => deps },
    );
    // Act
    const error = await handler({ runId: 'run_3' }, context).catch((e: unknown) => e);
    // Assess
    expect(error).toBe(failure);
  });
});
