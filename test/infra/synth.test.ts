import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EVENT_FUNCTIONS } from '#functions/events/event-functions';
import { HTTP_FUNCTIONS } from '#functions/http/route-table';
import { SCHEDULES } from '#functions/schedules/schedule-table';
import { TASK_FUNCTIONS } from '#infra/state-machines/task-functions';

const run = promisify(execFile);
const FUNCTION_COUNT = [HTTP_FUNCTIONS, TASK_FUNCTIONS, SCHEDULES, EVENT_FUNCTIONS].reduce((n, group) => n + Object.keys(group).length, 0);

describe('cdk synth', () => {
  it('bundles every handler with the local esbuild and passes cdk-nag, offline', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'slipway-synth-'));

    await run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', out], {
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      timeout: 280_000,
    });

    const template = JSON.parse(await readFile(path.join(out, 'Slipway.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: unknown }; Handler?: string } }>;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    // Slipway's functions and CDK's BucketDeployment handler, which copies the console to its bucket.
    expect(functions).toHaveLength(FUNCTION_COUNT + 1);
    for (const fn of functions) expect(fn.Properties).toMatchObject({ Code: { S3Key: expect.stringMatching(/\.zip$/) }, Handler: 'index.handler' });
  }, 300_000);
});
