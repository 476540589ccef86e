/**
 * Starts one of `../shared/peers/<name>` (a real third-party cloud on 127.0.0.1)
 * for a peer test, and stops exactly what it started.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { PEERS_DIR } from '#test/support/shared';

const run = promisify(execFile);

export interface Peer {
  /** The `export` lines `start` printed, as a map. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Parses `export NAME=value` lines (values may be single- or double-quoted). */
export function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*?)(\s+#.*)?$/.exec(line.trim());
    if (!match) continue;
    env[match[1]!] = match[2]!.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/**
 * Runs the peer's `start` (which returns once the peer answers) and gives its exports.
 * @param timeoutMs how long `start` may take (the OpenStack peer installs packages the first time).
 */
export async function startPeer(name: 'openstack' | 'ec2', timeoutMs: number): Promise<Peer> {
  const dir = resolve(PEERS_DIR, name);
  if (!existsSync(resolve(dir, 'start'))) throw new Error(`no peer ${name} in ${PEERS_DIR}`);
  const { stdout } = await run(resolve(dir, 'start'), [], { cwd: dir, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  const env = parseExports(stdout);
  return {
    env,
    async stop() {
      await run(resolve(dir, 'stop'), [], { cwd: dir, env: { ...process.env, ...env }, timeout: 120_000 });
    },
  };
}
