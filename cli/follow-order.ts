/** Polls an order until it is Active or over, showing its steps (and its run's instances) as they come. */
import type { OrderT, RunT } from './api-types';
import { SETTLED_ORDER_STATES } from './api-types';
import { ApiError, seg, type SlipwayClient } from './client';
import { interruptible, pause, type Context } from './context';
import { parseDuration } from './durations';
import { CliError, EXIT } from './exit-codes';
import { orderDisplay, type OrderDisplay } from './order-view';
import type { Address } from './store-text';

/** Consecutive failed polls tolerated (a restarting local stack, a blip) before giving up. */
const MAX_FAILED_POLLS = 5;

/** The run of `order` when the caller may read it (its customer, an admin); undefined otherwise (its vendor gets 404). */
export async function orderRun(client: SlipwayClient, order: OrderT): Promise<RunT | undefined> {
  if (!order.run) return undefined;
  return client.find<RunT>(`/runs/${seg(order.run)}`).catch(() => undefined);
}

/** Where each instance of `run` answers: its IP and the hostname it reported. */
export const addressesOf = (run: RunT | undefined): Address[] =>
  (run?.instances ?? []).map((i) => ({ instance: i.name, state: i.state, ip: i.ip, hostname: i.parameters.hostname }));

export interface FollowOrderOptions {
  display?: OrderDisplay;
  productName?: string;
  /** @default 500 */
  pollMs?: number;
  /** Give up (exit 4) after this long; the order goes on. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Reads order `id` (and its run) until it is Active, Expired, Cancelled or Failed; returns it with its run. */
export async function followOrder(client: SlipwayClient, id: string, options: FollowOrderOptions): Promise<{ order: OrderT; run?: RunT }> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  let failures = 0;
  let order: OrderT | undefined;
  let run: RunT | undefined;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new CliError(`Stopped watching; order ${id} goes on: slipway orders show ${id}`, EXIT.interrupted);
      try {
        order = await client.get<OrderT>(`/orders/${seg(id)}`);
        run = await orderRun(client, order);
        failures = 0;
      } catch (error) {
        const lasting = error instanceof ApiError && error.status < 500 && error.status !== 429;
        if (lasting || ++failures >= MAX_FAILED_POLLS) throw error;
      }
      if (order) {
        options.display?.update({ order, run, productName: options.productName });
        if (SETTLED_ORDER_STATES.includes(order.state)) return { order, run };
      }
      if (Date.now() > deadline) {
        throw new CliError(`Order ${id} is still ${order?.state ?? 'unknown'} after the timeout; it goes on: slipway orders show ${id}`, EXIT.timeout);
      }
      await pause(options.pollMs ?? 500, options.signal);
    }
  } finally {
    options.display?.finish();
  }
}

/** `--wait`: follows the order on the person's terminal (stderr with --output json, which keeps stdout for the result). */
export function waitForOrder(ctx: Context, id: string, options: { timeout: string; productName?: string }): Promise<{ order: OrderT; run?: RunT }> {
  const terminal = ctx.out.format === 'json' ? ctx.out.stderr : ctx.out.stdout;
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  return interruptible((signal) => followOrder(ctx.client(), id, { display: orderDisplay(terminal), timeoutMs, signal, productName: options.productName }));
}

/**
 * How `order --wait` ends: nothing for Active (exit 0), exit 1 with the reason for Failed,
 * and exit 1 for an order that ended (Cancelled, Expired) before it was Active.
 */
export function failureOf(order: OrderT): CliError | undefined {
  if (order.state === 'Active') return undefined;
  if (order.state === 'Failed') return new CliError(`Order ${order.id} Failed: ${order.failureReason ?? 'no reason given'}`, EXIT.failure);
  return new CliError(`Order ${order.id} ended ${order.state} before it was Active`, EXIT.failure);
}
