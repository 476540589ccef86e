/**
 * `npm start` that cannot start says why in one line, exits non-zero and leaves
 * nothing running; a stopped or killed one leaves no JVM, relay or socket file.
 * Each test runs infra/local/main.ts as its own process group, with its own
 * SLIPWAY_HOME, TMPDIR (where the relay's socket lives) and PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findExecutable } from '#infra/local/executables';

const REPO = resolve(import.meta.dirname, '../..');
const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

let dir: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-start-'));
  mkdirSync(join(dir, 'tmp'));
  mkdirSync(join(dir, 'bin'));
});

afterEach(() => {
  // A test that failed half-way may leave its npm start running: end its group, by its own id.
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // nothing left
    }
  }
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A `bin` directory holding only `names`, linked to this machine's programs. */
function binWith(...names: string[]): string {
  const bin = join(dir, 'bin');
  for (const name of names) symlinkSync(findExecutable(name, ['/usr/sbin', '/sbin'])!, join(bin, name));
  return bin;
}

interface Started {
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
  /** Resolves once stdout shows the "is running" banner, or the process ended. */
  running: Promise<boolean>;
}

/** `npm start` as one process (node with tsx's loader), leader of its own process group. */
function npmStart(env: Record<string, string>, wrapper: string[] = []): Started {
  const command = [...wrapper, process.execPath, '--import', 'tsx', 'infra/local/main.ts'];
  child = spawn(command[0]!, command.slice(1), {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { HOME: process.env.HOME ?? '/root', SLIPWAY_HOME: join(dir, 'home'), TMPDIR: join(dir, 'tmp'), PORT: '0', POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
  });
  const started: Started = {
    stdout: '',
    stderr: '',
    exited: new Promise((done) => child!.once('exit', (code) => done(code))),
    running: Promise.resolve(false),
  };
  started.running = new Promise((done) => {
    child!.stdout!.on('data', (chunk: Buffer) => {
      started.stdout += chunk.toString();
      if (started.stdout.includes('Slipway is running')) done(true);
    });
    void started.exited.then(() => done(false));
  });
  child.stderr!.on('data', (chunk: Buffer) => (started.stderr += chunk.toString()));
  return started;
}

/** Processes whose command line mentions `text`: the JVM's names this test's SLIPWAY_HOME, the relay's its TMPDIR. */
function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text)) found.push(Number(pid));
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

/**
 * Whether anything `npm start` started is still running after `waitMs`: a process
 * in the group it led, or one naming this test's directory (the JVM runs in a
 * session of its own inside its namespace).
 */
async function leftRunning(pgid: number, waitMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    let groupAlive = true;
    try {
      process.kill(-pgid, 0);
    } catch {
      groupAlive = false;
    }
    if (!groupAlive && processesMentioning(dir).length === 0) return false;
    if (Date.now() > deadline) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

describe('npm start that cannot start', () => {
  it('says in one line that Java is missing, exits 1 and leaves nothing running', async () => {
    // Prepare
    const path = binWith('unshare');

    // Act
    const start = npmStart({ PATH: path });
    const code = await start.exited;

    // Assess
    expect(code).toBe(1);
    expect(lines(start.stderr)).toEqual([expect.stringMatching(/^Slipway could not start: DynamoDB Local needs Java 17 and no "java" is on PATH/)]);
    expect(start.stdout).toBe('');
    expect(await leftRunning(child!.pid!)).toBe(false);
  });

  it('says in one line that the API port is taken, exits 1 and leaves nothing running', async () => {
    // Prepare
    const holder: Server = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    const port = (holder.address() as { port: number }).port;

    // Act
    const start = npmStart({ PATH: SYSTEM_PATH, PORT: String(port) });
    const code = await start.exited;

    // Assess
    await new Promise((done) => holder.close(done));
    expect(code).toBe(1);
    expect(lines(start.stderr)).toEqual([
      `Slipway could not start: The API port ${port} on 127.0.0.1 is already in use: stop what holds it or set PORT to a free port`,
    ]);
    expect(await leftRunning(child!.pid!)).toBe(false);
  });

  it('says in one line why DynamoDB Local exited, exits 1 and leaves no relay or socket file', async () => {
    // Prepare: a java that fails as an old one does
    const java = join(dir, 'bin', 'java');
    writeFileSync(java, '#!/bin/sh\necho "Error: LinkageError occurred while loading main class (UnsupportedClassVersionError)" >&2\nexit 1\n');
    chmodSync(java, 0o755);

    // Act
    const start = npmStart({ PATH: `${join(dir, 'bin')}:${SYSTEM_PATH}` });
    const code = await start.exited;

    // Assess
    expect(code).toBe(1);
    expect(lines(start.stderr)).toEqual([
      'Slipway could not start: DynamoDB Local exited at start (code 1): Error: LinkageError occurred while loading main class (UnsupportedClassVersionError)',
    ]);
    expect(await leftRunning(child!.pid!)).toBe(false);
    expect(readdirSync(join(dir, 'tmp')).filter((name) => name.startsWith('slipway-'))).toEqual([]);
  });

  it('refuses to run DynamoDB Local on every interface when no network namespace can be made', async () => {
    // Prepare: no unshare on PATH
    const path = binWith('java');

    // Act
    const start = npmStart({ PATH: path });
    const code = await start.exited;

    // Assess
    expect(code).toBe(1);
    expect(lines(start.stderr)).toEqual([
      expect.stringMatching(
        /^Slipway could not start: DynamoDB Local cannot be confined to this machine \(util-linux "unshare" is not on PATH\).*Set SLIPWAY_DYNAMODB_EXPOSED=1/,
      ),
    ]);
    expect(await leftRunning(child!.pid!)).toBe(false);
  });
});

describe('npm start without network namespaces, exposure accepted', () => {
  it('starts with DynamoDB Local on every interface and says so on stderr', async () => {
    // Prepare: no unshare on npm start's PATH; the whole run inside a namespace of this test's own, so "every interface" is its loopback
    const path = binWith('java');
    const unshare = findExecutable('unshare')!;
    const ip = findExecutable('ip', ['/usr/sbin', '/sbin'])!;
    const wrapper = [unshare, '--net', '/bin/sh', '-c', `${ip} link set lo up && exec "$0" "$@"`];

    // Act
    const start = npmStart({ PATH: path, SLIPWAY_DYNAMODB_EXPOSED: '1' }, wrapper);
    const running = await start.running;
    process.kill(child!.pid!, 'SIGTERM');
    const code = await start.exited;

    // Assess
    expect(running).toBe(true);
    expect(lines(start.stderr)).toEqual([expect.stringMatching(/^warning: SLIPWAY_DYNAMODB_EXPOSED=1 and no network namespace .*listens on every interface/)]);
    expect(code).toBe(0);
    expect(await leftRunning(child!.pid!)).toBe(false);
  });
});

describe('npm start, stopped', () => {
  it('stops quietly with Ctrl-C and leaves no JVM, relay or socket file', async () => {
    // Prepare
    const start = npmStart({ PATH: SYSTEM_PATH });
    expect(await start.running).toBe(true);

    // Act: Ctrl-C signals the terminal's whole process group
    process.kill(-child!.pid!, 'SIGINT');
    const code = await start.exited;

    // Assess
    expect(code).toBe(0);
    expect(start.stderr).toBe('');
    expect(await leftRunning(child!.pid!)).toBe(false);
    expect(readdirSync(join(dir, 'tmp')).filter((name) => name.startsWith('slipway-'))).toEqual([]);
  });

  it('leaves no JVM, relay or socket file even when killed with SIGKILL', async () => {
    // Prepare
    const start = npmStart({ PATH: SYSTEM_PATH });
    expect(await start.running).toBe(true);

    // Act
    process.kill(child!.pid!, 'SIGKILL');
    await start.exited;

    // Assess: the namespace's init sees its stdin close and stops the jar
    expect(await leftRunning(child!.pid!, 30_000)).toBe(false);
    expect(readdirSync(join(dir, 'tmp')).filter((name) => name.startsWith('slipway-'))).toEqual([]);
  });
});
