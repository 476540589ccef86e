/**
 * Local data is its owner's alone: SLIPWAY_HOME and the DynamoDB directory 0700,
 * secrets.key, admin.key and DynamoDB's files 0600 — at a first start, and after
 * a start that found them readable by others (an earlier version made them so).
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { persistedAdminKey, startLocalStack } from '#infra/local/stack';

let parent: string;
let home: string;

beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'slipway-files-'));
  home = join(parent, 'home');
});

afterEach(() => {
  rmSync(parent, { recursive: true, force: true });
});

/** Starts and stops the stack as `npm start` does (admin key first, then the stack). */
async function startAndStop(): Promise<void> {
  const admin = persistedAdminKey(home);
  const stack = await startLocalStack({ home, adminKey: admin.key, scheduleIntervalMs: 600_000 });
  await stack.stop();
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Every path under SLIPWAY_HOME with its mode, e.g. `{ 'dynamodb': '700', 'admin.key': '600' }`. */
function modes(): Record<string, string> {
  const entries = readdirSync(home, { recursive: true, encoding: 'utf8' });
  return Object.fromEntries([['.', mode(home)], ...entries.map((entry) => [entry, mode(join(home, entry))])]);
}

describe('local data files', () => {
  it('are created readable by their owner only', async () => {
    // Prepare: no SLIPWAY_HOME yet

    // Act
    await startAndStop();

    // Assess
    expect(modes()).toEqual({
      '.': '700',
      'admin.key': '600',
      'secrets.key': '600',
      dynamodb: '700',
      'dynamodb/shared-local-instance.db': '600',
    });
  });

  it('are tightened at start when they were readable by others', async () => {
    // Prepare
    await startAndStop();
    for (const [path, wide] of [
      ['.', 0o755],
      ['admin.key', 0o644],
      ['secrets.key', 0o644],
      ['dynamodb', 0o777],
      ['dynamodb/shared-local-instance.db', 0o666],
    ] as const)
      chmodSync(join(home, path), wide);

    // Act
    await startAndStop();

    // Assess
    expect(modes()).toEqual({
      '.': '700',
      'admin.key': '600',
      'secrets.key': '600',
      dynamodb: '700',
      'dynamodb/shared-local-instance.db': '600',
    });
  });
});
