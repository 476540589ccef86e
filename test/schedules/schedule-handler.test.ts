import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { PermanentCloudError } from '#connectors/errors';
import type { AppDeps } from '#functions/commons/deps';
import { scheduleHandler } from '#functions/schedules/schedule-handler';

const context = { awsRequestId: 'req-1', functionName: 'slipway-monitor' } as Context;
const deps = { marker: 'test deps' } as unknown as AppDeps;

describe('scheduleHandler', () => {
  it('runs the job with the deps and returns its report', async () => {
    // Prepare
    const seen: AppDeps[] = [];
    const handler = scheduleHandler(
      'monitor',
      async (given) => {
        seen.push(given);
        return { accounts: 0 };
      },
      () => deps,
    );
    // Act
    const report = await handler({}, context);
    // Assess
    expect(report).toEqual({ accounts: 0 });
    expect(seen).toEqual([deps]);
  });

  it("passes the job's failure on unchanged", async () => {
    // Prepare
    const failure = new PermanentCloudError('credential revoked');
    const handler = scheduleHandler(
      'expiry',
      async () => {
        throw failure;
      },
      () => deps,
    );
    // Act
    const error = await handler({}, context).catch((e: unknown) => e);
    // Assess
    expect(error).toBe(failure);
  });
});
