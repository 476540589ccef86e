/**
 * `npm start` as an operator runs it — `npx tsx infra/local/main.ts` — in a process
 * group of its own, so that a SIGKILL to the group takes everything it started with
 * it: tsx, the product, DynamoDB Local's namespace helper and — by pid, as it runs
 * in a group of its own — its JVM. Ended only by its own ids, never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sleep } from './seeded';

export interface SlipwayProcessOptions {
  home: string;
  port: number;
  adminKey: string;
  scheduleIntervalMs: number;
  /** Where stdout and stderr go (appended). */
  logFile: string;
  /** @default 180000 (a JVM and tsx on a loaded 2-core machine) */
  startTimeoutMs?: number;
}

export interface SlipwayProcess {
  /** The process group id (the id of the `npx` process that leads it). */
  pgid: number;
  apiUrl: string;
  dynamoDbEndpoint: string;
  /** Milliseconds from spawn to the banner. */
  startMs: number;
}

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/** Starts the product and resolves once it printed its banner (it serves by then). */
export async function startSlipway(options: SlipwayProcessOptions): Promise<SlipwayProcess> {
  const started = Date.now();
  const child: ChildProcess = spawn('npx', ['tsx', 'infra/local/main.ts'], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SLIPWAY_HOME: options.home,
      PORT: String(options.port),
      SLIPWAY_ADMIN_KEY: options.adminKey,
      SLIPWAY_SCHEDULE_INTERVAL_MS: String(options.scheduleIntervalMs),
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
    },
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('npx tsx infra/local/main.ts could not be spawned');
  let output = '';
  const record = (chunk: Buffer) => {
    output += chunk.toString();
    appendFileSync(options.logFile, chunk);
  };
  child.stdout!.on('data', record);
  child.stderr!.on('data', record);
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = `exited (${signal ?? code})`));

  const deadline = started + (options.startTimeoutMs ?? 180_000);
  for (;;) {
    const api = /API\s+(http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(output)?.[1];
    const dynamo = /DynamoDB\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (api && dynamo) return { pgid, apiUrl: api, dynamoDbEndpoint: dynamo, startMs: Date.now() - started };
    if (exit || Date.now() > deadline) {
      if (!exit) await killProcessGroup(pgid);
      throw new Error(`Slipway did not start (${exit ?? 'timed out'}): ${output.slice(-3000)}`);
    }
    await sleep(100);
  }
}

/** `/proc/<pid>/stat` as (ppid, state); undefined once the process is gone. */
function procStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const [state = '', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state };
  } catch {
    return undefined;
  }
}

/**
 * Every descendant of `root`, whatever its process group: DynamoDB Local's JVM is
 * started in a group of its own (detached) inside its namespace, so a group kill alone
 * does not name it.
 */
function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = procStat(pid);
    if (stat) parents.set(pid, stat.ppid);
  }
  const family = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!family.has(pid) && family.has(ppid)) {
        family.add(pid);
        grew = true;
      }
    }
  }
  family.delete(root);
  return [...family];
}

/** True while any process of group `pgid` exists (zombies included). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** True while `pid` runs (a zombie has stopped running: it only waits to be reaped). */
const running = (pid: number) => {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z';
};

const killQuietly = (target: number) => {
  try {
    process.kill(target, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

/**
 * SIGKILLs every process of group `pgid` and every descendant of its leader (the JVM
 * among them, by its pid), and waits until none runs, so the next start finds
 * DynamoDB Local's files and ports free.
 * @throws Error when something survives `timeoutMs`
 */
export async function killProcessGroup(pgid: number, timeoutMs = 30_000): Promise<void> {
  const family = descendantsOf(pgid);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const survivors = family.filter(running);
    if (!groupAlive(pgid) && !survivors.length) return;
    if (Date.now() > deadline) throw new Error(`process group ${pgid} (or its descendants ${survivors.join(', ')}) survived SIGKILL for ${timeoutMs} ms`);
    killQuietly(-pgid);
    survivors.forEach(killQuietly);
    await sleep(100);
  }
}
