/* eslint-disable @typescript-eslint/no-explicit-any -- test helper: JSON output is asserted field by field */
/** Runs `slipway` (bin/slipway.mjs) as a child process, the way a person or a pipeline does: no terminal, its own HOME. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const BIN = join(REPO, 'bin', 'slipway.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every HOME made for a CLI run, under one directory removed when the test process ends. */
const HOMES = mkdtempSync(join(tmpdir(), 'slipway-cli-homes-'));
process.once('exit', () => rmSync(HOMES, { recursive: true, force: true }));

/** An environment with nothing of the caller's Slipway settings: PATH, a fresh HOME and XDG_CONFIG_HOME (unless given), and `extra`. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const home = extra.HOME ?? mkdtempSync(join(HOMES, 'home-'));
  const env: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), LANG: 'C.UTF-8', ...extra };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** `slipway <args>` with `env`; stdin is `input` (or empty), never a terminal. */
export function cli(args: string[], env: Record<string, string>, options: { input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`slipway ${args.join(' ')} did not end within ${options.timeoutMs ?? 60_000} ms:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The JSON a `--output json` command printed. */
export function json<T = any>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}
