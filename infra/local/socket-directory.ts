/**
 * The private directories (0700, under the OS temp directory) that hold the Unix
 * socket between a relay on the host and DynamoDB Local's network namespace.
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIR_PREFIX = 'slipway-dynamodb-';
const SOCKET = 'dynamodb.sock';

/**
 * Removes the socket directories of relays that were killed outright (SIGKILL of
 * a whole process group leaves no one to clean up): a socket nobody listens on
 * any more, or a directory that never got one, an hour on.
 */
async function removeStaleSocketDirectories(): Promise<void> {
  const uid = process.getuid?.();
  for (const name of readdirSync(tmpdir()).filter((entry) => entry.startsWith(DIR_PREFIX))) {
    const dir = join(tmpdir(), name);
    try {
      const info = lstatSync(dir);
      if (!info.isDirectory() || info.uid !== uid) continue;
      const listening = existsSync(join(dir, SOCKET)) ? await answers(join(dir, SOCKET)) : Date.now() - info.mtimeMs < 3_600_000;
      if (!listening) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another start removed it first
    }
  }
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socket);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'));
  });
}

/** A new directory (mkdtemp makes it 0700) and the socket path in it; clears what killed relays left first. */
export function newSocketDirectory(): { dir: string; socket: string } {
  void removeStaleSocketDirectories().catch(() => undefined);
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  return { dir, socket: join(dir, SOCKET) };
}
