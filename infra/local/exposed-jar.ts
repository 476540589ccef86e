/**
 * The fallback where namespaces cannot be made and the operator accepted it
 * (`SLIPWAY_DYNAMODB_EXPOSED=1`): the jar runs directly and listens on every
 * interface, as DynamoDB Local always does.
 */
import { spawn } from 'node:child_process';
import { jarFailureSummary, type JarCommand } from './dynamodb-jar';
import { LocalStartError } from './local-start-error';
import type { RunningJar } from './netns';
import { waitUntilAccepting } from './socket-relay';

const STOP_GRACE_MS = 15_000;

/** Starts `command` listening on `jarPort` and resolves once it accepts connections. */
export async function startExposedJar(options: { command: JarCommand; jarPort: number; cwd: string; startTimeoutMs?: number }): Promise<RunningJar> {
  // umask 077: the database files it creates are its owner's alone.
  const child = spawn('/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', options.command.java, ...options.command.args], {
    cwd: options.cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-16_384)));
  let code: number | undefined;
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve((code = exitCode ?? (signal ? 128 : 1))));
    child.once('error', () => resolve((code = 127)));
  });
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let timedOut = false;
  const gaveUp = () => code !== undefined || (timedOut = Date.now() > deadline);
  if (!(await waitUntilAccepting(options.jarPort, gaveUp))) {
    child.kill('SIGKILL');
    await exited;
    if (timedOut) throw new LocalStartError(`DynamoDB Local did not start within ${timeoutMs / 1000} s`);
    throw new LocalStartError(`DynamoDB Local exited at start (code ${code}): ${jarFailureSummary(output)}`);
  }
  let stopping = false;
  return {
    endpoint: `http://127.0.0.1:${options.jarPort}`,
    jarPort: options.jarPort,
    confined: false,
    async stop() {
      if (!stopping && code === undefined) child.kill('SIGTERM');
      stopping = true;
      const late = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(late);
    },
  };
}
