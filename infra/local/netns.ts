/**
 * Runs DynamoDB Local where no other machine can reach it. The jar has no
 * bind-address option and listens on every interface, so it runs in its own
 * network namespace (`unshare`), whose only interface is its own loopback.
 * `netns-init.ts` relays a Unix socket in a private directory (0700, socket 0600)
 * to the jar; this process relays 127.0.0.1:<free port> on the host to that socket.
 *
 *   client ─► 127.0.0.1:port ─► dynamodb.sock ─┤namespace├─► 127.0.0.1:jarPort ─► jar
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { jarFailureSummary, type JarCommand } from './dynamodb-jar';
import { findExecutable } from './executables';
import { LocalStartError } from './local-start-error';
import type { NetnsInitArgs } from './netns-init';
import { newSocketDirectory } from './socket-directory';
import { listen, relayServer } from './socket-relay';

/** Namespaces cannot be made here (no `unshare` or `ip`, or the kernel or a sandbox refuses them). */
export class NetnsUnavailableError extends LocalStartError {
  override name = 'NetnsUnavailableError';
}

export interface RunningJar {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** The port the jar itself listens on (inside the namespace when confined). */
  jarPort: number;
  confined: boolean;
  stop(): Promise<void>;
}

const INIT = fileURLToPath(new URL('./netns-init.ts', import.meta.url));
const SBIN = ['/usr/sbin', '/sbin'];
const STOP_GRACE_MS = 15_000;

/** The last `bytes` of a stream, enough to say why a process stopped. */
function tail(stream: NodeJS.ReadableStream, bytes = 16_384): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-bytes)));
  return () => text;
}

/**
 * Starts `command` (listening on `jarPort`) in new network and PID namespaces and
 * resolves once it accepts connections through the relay on 127.0.0.1:<free port>.
 * @param options.startTimeoutMs @default 120000 (a JVM on a loaded 2-core machine)
 * @throws NetnsUnavailableError before anything is left running, when namespaces cannot be made.
 */
export async function startConfinedJar(options: { command: JarCommand; jarPort: number; cwd: string; startTimeoutMs?: number }): Promise<RunningJar> {
  const unshare = findExecutable('unshare', SBIN);
  if (!unshare) throw new NetnsUnavailableError('util-linux "unshare" is not on PATH');
  const ip = findExecutable('ip', SBIN);
  if (!ip) throw new NetnsUnavailableError('iproute2 "ip" is not installed');

  const { dir, socket } = newSocketDirectory();
  const args: NetnsInitArgs = { socket, jarPort: options.jarPort, ip, java: options.command.java, javaArgs: options.command.args, cwd: options.cwd };
  // Root may make a network namespace directly; anyone else makes it inside a user namespace of their own.
  const asUser = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
  // --kill-child: if unshare is killed, the namespace's PID 1 is, and with it the jar.
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // a loader meant for this process would only slow the relay's start
  const child = spawn(unshare, [...asUser, '--net', '--pid', '--fork', '--kill-child', process.execPath, INIT, JSON.stringify(args)], {
    cwd: dir,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr = tail(child.stderr);
  let stage: 'starting' | 'isolated' | 'ready' = 'starting';
  let stopping = false;
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.once('error', () => resolve(127));
  });
  const ready = new Promise<void>((resolve) => {
    let lines = '';
    child.stdout.on('data', (chunk: Buffer) => {
      lines += chunk.toString();
      if (lines.includes('isolated\n')) stage = 'isolated';
      if (lines.includes('ready\n')) {
        stage = 'ready';
        resolve();
      }
    });
  });
  const kill = () => {
    child.stdin.destroy();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });

  const timeoutMs = options.startTimeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exited.then((code) => ({ code })),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    kill();
    await exited;
    cleanUp();
    if (outcome === 'timeout') throw new LocalStartError(`DynamoDB Local did not start within ${timeoutMs / 1000} s`);
    const reason = jarFailureSummary(stderr());
    if (stage === 'starting') throw new NetnsUnavailableError(reason);
    throw new LocalStartError(`DynamoDB Local exited at start (code ${outcome.code}): ${reason}`);
  }

  void exited.then((code) => {
    if (!stopping) console.error(`DynamoDB Local stopped unexpectedly (code ${code}): ${jarFailureSummary(stderr())}`);
  });
  const relay = relayServer(() => connect(socket));
  await listen(relay, { port: 0 }).catch(async (error: unknown) => {
    stopping = true;
    kill();
    await exited;
    cleanUp();
    throw error;
  });
  const address = relay.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    jarPort: options.jarPort,
    confined: true,
    async stop() {
      if (stopping) return exited.then(() => undefined);
      stopping = true;
      // Synchronous first: the namespace's init stops the jar when its stdin closes, so this works in an 'exit' listener too.
      child.stdin.destroy();
      const late = setTimeout(kill, STOP_GRACE_MS);
      await relay.closeAll();
      await exited;
      clearTimeout(late);
      cleanUp();
    },
  };
}
