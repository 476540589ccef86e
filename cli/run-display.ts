/**
 * Shows a run as it moves: on a terminal, one frame redrawn in place (ANSI:
 * cursor up, clear to the end of the screen); elsewhere one plain line per change.
 */
import type { Terminal } from './render';
import { changes, frame, type RunView } from './run-view';

export interface RunDisplay {
  update(view: RunView): void;
  /** Leaves the terminal as it was found (cursor shown); idempotent. */
  finish(): void;
}

const ESC = '\x1b[';
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;

/** A frame redrawn over the previous one; lines cut to the terminal's width so none wraps (which would break the count). */
class LiveDisplay implements RunDisplay {
  private drawn = 0;
  private finished = false;
  constructor(
    private readonly terminal: Terminal,
    private readonly now: () => Date,
  ) {}

  update(view: RunView): void {
    const width = Math.max(20, (this.terminal.columns ?? 80) - 1);
    const lines = frame(view, this.now()).map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
    const back = this.drawn ? `${ESC}${this.drawn}A\r${ESC}J` : HIDE_CURSOR;
    this.terminal.write(`${back}${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.terminal.write(SHOW_CURSOR);
  }
}

class PlainDisplay implements RunDisplay {
  private last: RunView | undefined;
  constructor(
    private readonly terminal: Terminal,
    private readonly now: () => Date,
  ) {}

  update(view: RunView): void {
    for (const line of changes(this.last, view, this.now())) this.terminal.write(`${line}\n`);
    this.last = view;
  }

  finish(): void {}
}

/** `live` when `terminal` is a TTY, plain lines otherwise. */
export function runDisplay(terminal: Terminal, now: () => Date = () => new Date()): RunDisplay {
  return terminal.isTTY ? new LiveDisplay(terminal, now) : new PlainDisplay(terminal, now);
}
