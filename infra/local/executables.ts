/** Finds the programs the local stack runs (java, unshare, ip) the way a shell would. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The absolute path of `name` on PATH, then in `alsoIn` (for `ip`, which Debian
 * keeps in /usr/sbin, off a normal user's PATH); undefined when none is executable.
 */
export function findExecutable(name: string, alsoIn: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...alsoIn].filter(Boolean);
  for (const dir of dirs) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}
