/**
 * What a person watching an order sees: each step of the order as a line when it
 * comes (its time, state and message), the order's run's instances as they change,
 * and — on a terminal — a status frame redrawn in place under them (the order's state
 * and time so far, the run's nodes). Elsewhere only the plain lines, one per change.
 */
import type { OrderT, RunT } from './api-types';
import { SETTLED_ORDER_STATES } from './api-types';
import { formatSeconds } from './durations';
import type { Terminal } from './render';
import { changes, frame } from './run-view';

export interface OrderView {
  order: OrderT;
  /** The order's current run, when there is one and the caller may read it. */
  run?: RunT;
  /** The product's name, when known. */
  productName?: string;
}

const clock = (iso: string) => iso.slice(11, 19);

/** A step as the watcher's line: `HH:MM:SS ord_… <state>  <message>`. */
export const stepWatchLine = (order: OrderT, step: OrderT['steps'][number]) => `${clock(step.at)} ${order.id} ${step.state.padEnd(12)}  ${step.message}`;

/** The steps `after` has that `before` did not show, as the watcher's lines. */
export const newSteps = (before: OrderView | undefined, after: OrderView): string[] =>
  after.order.steps.slice(before?.order.steps.length ?? 0).map((step) => stepWatchLine(after.order, step));

/** The lines `after` adds to what `before` showed: new steps, then the run's changes (instances, state, abort reason). */
export function orderChanges(before: OrderView | undefined, after: OrderView, now: Date): string[] {
  const lines = newSteps(before, after);
  if (after.run) {
    // The first look at a run (or a new run of a retried order) shows its instances, not a headline: the step named the run.
    const previous = before?.run?.id === after.run.id ? { run: before.run } : { run: { ...after.run, instances: [], abortReason: undefined } };
    lines.push(...changes(previous, { run: after.run }, now));
  }
  return lines;
}

function elapsed(order: OrderT, now: Date): string {
  const end = SETTLED_ORDER_STATES.includes(order.state) ? Date.parse(order.updatedAt) : now.getTime();
  return formatSeconds((end - Date.parse(order.createdAt)) / 1000);
}

/** The frame under the lines: the order's headline, then its run's nodes (indented) while it has one. */
export function orderFrame(view: OrderView, now: Date): string[] {
  const { order } = view;
  const lines = [`${order.id}  ${view.productName ?? order.product} (${order.plan.name})  ${order.state}  ${elapsed(order, now)}`];
  if (view.run) {
    // The run's own headline names the vendor's deployment, which the customer may not read: the run's id and state instead.
    const [, ...nodes] = frame({ run: view.run }, now);
    lines.push(`  run ${view.run.id}  ${view.run.state}`, ...nodes.map((line) => `  ${line}`));
  }
  return lines;
}

export interface OrderDisplay {
  update(view: OrderView): void;
  /** Leaves the terminal as it was found (cursor shown); idempotent. */
  finish(): void;
}

const ESC = '\x1b[';

/** Lines printed once, with a frame kept under them, redrawn in place; lines cut to the terminal's width so none wraps. */
class LiveOrderDisplay implements OrderDisplay {
  private last: OrderView | undefined;
  private drawn = 0;
  private finished = false;
  constructor(
    private readonly terminal: Terminal,
    private readonly now: () => Date,
  ) {}

  update(view: OrderView): void {
    const width = Math.max(20, (this.terminal.columns ?? 80) - 1);
    const fit = (line: string) => (line.length > width ? `${line.slice(0, width - 1)}…` : line);
    const now = this.now();
    // The steps stay on the screen; the run's instances are in the frame, redrawn.
    const added = newSteps(this.last, view);
    const footer = orderFrame(view, now).map(fit);
    const back = this.drawn ? `${ESC}${this.drawn}A\r${ESC}J` : `${ESC}?25l`;
    this.terminal.write(`${back}${[...added.map(fit), ...footer].join('\n')}\n`);
    this.drawn = footer.length;
    this.last = view;
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.terminal.write(`${ESC}?25h`);
  }
}

class PlainOrderDisplay implements OrderDisplay {
  private last: OrderView | undefined;
  constructor(
    private readonly terminal: Terminal,
    private readonly now: () => Date,
  ) {}

  update(view: OrderView): void {
    for (const line of orderChanges(this.last, view, this.now())) this.terminal.write(`${line}\n`);
    this.last = view;
  }

  finish(): void {}
}

/** Redrawn in place on a TTY, plain lines otherwise. */
export function orderDisplay(terminal: Terminal, now: () => Date = () => new Date()): OrderDisplay {
  return terminal.isTTY ? new LiveOrderDisplay(terminal, now) : new PlainOrderDisplay(terminal, now);
}
