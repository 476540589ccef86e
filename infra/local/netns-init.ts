/**
 * The first process inside DynamoDB Local's private network and PID namespaces
 * (started by `netns.ts` through `unshare`, run by plain Node with its type stripping).
 *
 * It brings up the namespace's loopback (its only interface), runs the jar on
 * 127.0.0.1:`jarPort` there, and relays the Unix socket `socket` — a file, so it
 * crosses the namespace boundary — to that port. It tells its parent how far it
 * got on stdout, one word a line: `isolated` (loopback up, jar starting), `ready`
 * (jar accepting). It stops the jar when its stdin closes — the parent's way to
 * stop it, which also happens when the parent dies; as PID 1 of the namespace,
 * its own death ends the jar too.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { listen, relayServer, waitUntilAccepting } from './socket-relay.ts';

export interface NetnsInitArgs {
  socket: string;
  jarPort: number;
  /** Absolute path of iproute2's `ip`. */
  ip: string;
  java: string;
  javaArgs: string[];
  cwd: string;
}

const STOP_GRACE_MS = 10_000;

async function main(args: NetnsInitArgs): Promise<void> {
  try {
    execFileSync(args.ip, ['link', 'set', 'lo', 'up'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    process.stderr.write(`cannot bring up the namespace's loopback: ${stderr || String(error)}\n`);
    process.exit(3);
  }
  process.stdout.write('isolated\n');

  // The database files the jar creates are its owner's alone.
  process.umask(0o077);
  // A session of its own: Ctrl-C in a terminal reaches `npm start`, which stops the API before the database.
  const jar = spawn(args.java, args.javaArgs, { cwd: args.cwd, stdio: ['ignore', 2, 2], detached: true });
  let jarCode: number | undefined;
  const jarExited = new Promise<void>((resolve) => {
    jar.once('exit', (code) => {
      jarCode = code ?? 1;
      resolve();
    });
    jar.once('error', (error) => {
      process.stderr.write(`cannot run ${args.java}: ${error.message}\n`);
      jarCode = 127;
      resolve();
    });
  });

  const relay = relayServer(() => connect(args.jarPort, '127.0.0.1'));
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await relay.closeAll();
    if (jarCode === undefined) {
      jar.kill('SIGTERM');
      const late = setTimeout(() => jar.kill('SIGKILL'), STOP_GRACE_MS);
      await jarExited;
      clearTimeout(late);
    }
    // The socket's private directory is ours alone; the parent removes it too, unless it died first.
    rmSync(dirname(args.socket), { recursive: true, force: true });
    process.exit(code);
  };
  process.stdin.on('data', () => undefined);
  process.stdin.once('close', () => void stop(0));
  // As PID 1 it ignores signals it has no handler for (Ctrl-C's SIGINT included); SIGTERM by pid still stops it.
  process.once('SIGTERM', () => void stop(0));
  void jarExited.then(() => stop(jarCode ?? 1));

  await listen(relay, { path: args.socket });
  chmodSync(args.socket, 0o600);
  if (await waitUntilAccepting(args.jarPort, () => jarCode !== undefined || stopping)) process.stdout.write('ready\n');
}

await main(JSON.parse(process.argv[2] ?? '{}') as NetnsInitArgs);
