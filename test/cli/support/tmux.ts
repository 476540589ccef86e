/**
 * A terminal a test can type into and read, as a person sees it: a tmux server
 * of its own (`tmux -S <tmpdir>/sock`, never another tmux server), one window of
 * 120×30 running a plain shell, read with `capture-pane -p`. `kill()` ends that
 * server by its socket.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TMUX = '/usr/bin/tmux';

export class Terminal {
  private readonly dir = mkdtempSync(join(tmpdir(), 'slipway-tmux-'));
  private readonly socket = join(this.dir, 'sock');

  /** Starts the server and a shell (`bash --norc`, prompt `$ `) in `cwd` with exactly `env`. */
  constructor(cwd: string, env: Record<string, string>) {
    const shell = `exec env -i ${Object.entries({ ...env, PS1: '$ ', TERM: 'xterm-256color' })
      .map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`)
      .join(' ')} bash --norc --noprofile`;
    this.tmux('new-session', '-d', '-x', '120', '-y', '30', '-c', cwd, shell);
  }

  private tmux(...args: string[]): string {
    return execFileSync(TMUX, ['-S', this.socket, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  }

  /** Types `line` and Enter. */
  type(line: string): void {
    this.tmux('send-keys', '-l', line);
    this.tmux('send-keys', 'Enter');
  }

  /** Presses a key (tmux key name, e.g. `C-c`). */
  press(key: string): void {
    this.tmux('send-keys', key);
  }

  /** What the screen shows now (trailing blank lines dropped). */
  screen(): string {
    return this.tmux('capture-pane', '-p').replace(/\s+$/, '');
  }

  /** Clears the screen and its history (so earlier commands do not match later waits). */
  clear(): void {
    this.type('clear');
    this.tmux('clear-history');
  }

  /**
   * Reads the screen every `pollMs` until `done(screen)`; returns every distinct screen seen, the last one last.
   * @throws with the last screen when `timeoutMs` passes first
   */
  async waitFor(done: (screen: string) => boolean, timeoutMs = 60_000, pollMs = 100): Promise<string[]> {
    const seen: string[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (seen.at(-1) !== screen) seen.push(screen);
      if (done(screen)) return seen;
      if (Date.now() > deadline) throw new Error(`the terminal never showed what was awaited; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Ends this test's tmux server (by its socket) and removes its directory. */
  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
