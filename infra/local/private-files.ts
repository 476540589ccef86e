/**
 * Local data — DynamoDB's files, `secrets.key`, `admin.key` — is readable by its
 * owner only: directories 0700, files 0600. What an earlier version left wider is
 * tightened at start.
 */
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Drops every group and other permission bit of `path`. */
function tighten(path: string): void {
  const mode = statSync(path).mode & 0o7777;
  if (mode & 0o077) chmodSync(path, mode & 0o700);
}

/** Creates `dir` (and missing parents) 0700, or tightens it and the files directly in it. */
export function privateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isFile()) tighten(join(dir, entry.name));
}

/** Writes a new `file` 0600; never overwrites one that exists. */
export function writePrivateFile(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
}
