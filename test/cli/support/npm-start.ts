/**
 * `npm start` as a person runs it (node with tsx's loader on infra/local/main.ts),
 * with its own SLIPWAY_HOME and ports chosen free by the test (PORT,
 * SLIPWAY_SFN_PORT, SLIPWAY_DYNAMODB_PORT). Stopped by its own pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '#infra/local/dynamodb';
import { REPO } from './cli';

export interface NpmStart {
  home: string;
  ports: { api: number; stepFunctions: number; dynamoDb: number };
  /** Everything it printed on stdout so far. */
  output(): string;
  /** Resolves once stdout matches `pattern` (bounded). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

export async function npmStart(): Promise<NpmStart> {
  const home = mkdtempSync(join(tmpdir(), 'slipway-npm-start-'));
  const ports = { api: await freePort(), stepFunctions: await freePort(), dynamoDb: await freePort() };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: home,
      SLIPWAY_HOME: join(home, 'data'),
      PORT: String(ports.api),
      SLIPWAY_SFN_PORT: String(ports.stepFunctions),
      SLIPWAY_DYNAMODB_PORT: String(ports.dynamoDb),
      SLIPWAY_SCHEDULE_INTERVAL_MS: '1000',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started: NpmStart = {
    home,
    ports,
    output: () => stdout,
    async waitForOutput(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(stdout);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start never printed ${pattern}:\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
  await started.waitForOutput(/Runs are logged below/, 180_000).catch(async (error: unknown) => {
    await started.stop();
    throw error;
  });
  return started;
}
