/**
 * Orders: the lifecycle (Pending → Provisioning → Active → Expired / Cancelled /
 * Failed), term and renewal dates, the end-of-term warnings, and how a failed
 * launch is retried. Pure: times come in as arguments.
 */

import type { OrderStateT } from '#functions/schemas/store-catalog';

export type OrderState = OrderStateT;

/** States from which an order may move to each state. */
const ALLOWED_FROM: Record<OrderState, readonly OrderState[]> = {
  Pending: [],
  Provisioning: ['Pending'],
  Active: ['Provisioning'],
  Expired: ['Active'],
  Cancelled: ['Pending', 'Provisioning', 'Active'],
  Failed: ['Pending', 'Provisioning'],
};

export function canMoveOrder(from: OrderState, to: OrderState): boolean {
  return ALLOWED_FROM[to].includes(from);
}

/** The states `to` may be reached from. */
export const orderStatesBefore = (to: OrderState): readonly OrderState[] => ALLOWED_FROM[to];

export const isOrderFinal = (state: OrderState): boolean => state === 'Expired' || state === 'Cancelled' || state === 'Failed';

/** Launch attempts an order makes before it fails: the first one and two retries. */
export const ORDER_MAX_ATTEMPTS = 3;

/** The wait before the first retry when nothing else is configured; each later one is twice as long (30 s, 60 s). */
export const DEFAULT_ORDER_RETRY_BASE_SECONDS = 30;

/** Seconds to wait after attempt number `failed` (1-based) failed: `base × 2^(failed−1)`, at least 1. */
export function retryWaitSeconds(baseSeconds: number, failed: number): number {
  return Math.max(1, Math.round(baseSeconds * 2 ** Math.max(0, failed - 1)));
}

/**
 * How long an order waits for one run to be Ready before it counts the attempt as
 * failed: the deploy state machine's own timeout (2 h, infra/state-machines/deploy-run.ts).
 */
export const ORDER_RUN_DEADLINE_SECONDS = 2 * 60 * 60;

const DAY_MS = 24 * 60 * 60 * 1000;

/** When an order that starts at `startsAt` ends: after the plan's term, or never (no term: until cancelled). */
export function endsAtFor(startsAt: Date, termDays: number | undefined): string | undefined {
  return termDays === undefined ? undefined : new Date(startsAt.getTime() + termDays * DAY_MS).toISOString();
}

/**
 * The `endsAt` a renewal at `now` gives: one more term after the current end. Only an
 * Active order with a term, before its end, can be renewed.
 * @returns the new end, or why there is none
 */
export function renewedEndsAt(
  order: { state: OrderState; endsAt?: string },
  termDays: number | undefined,
  now: Date,
): { endsAt: string } | { refusal: string } {
  if (termDays === undefined || order.endsAt === undefined) return { refusal: 'the plan has no term: the order lasts until it is cancelled' };
  if (order.state !== 'Active') return { refusal: `the order is ${order.state}: only an Active order can be renewed` };
  if (Date.parse(order.endsAt) <= now.getTime()) return { refusal: `the order ended at ${order.endsAt}` };
  return { endsAt: new Date(Date.parse(order.endsAt) + termDays * DAY_MS).toISOString() };
}

/** The warnings before an order's end, earliest first. */
export const ORDER_WARNINGS = [
  { kind: '7d', days: 7, text: '7 days' },
  { kind: '1d', days: 1, text: '1 day' },
] as const;
export type OrderWarningKind = (typeof ORDER_WARNINGS)[number]['kind'];

export interface OrderWarning {
  kind: OrderWarningKind;
  /** When it is due. */
  at: string;
  message: string;
}

function warningsOf(endsAt: string): OrderWarning[] {
  const end = Date.parse(endsAt);
  return ORDER_WARNINGS.map((w) => ({ kind: w.kind, at: new Date(end - w.days * DAY_MS).toISOString(), message: `the order ends in ${w.text}, at ${endsAt}` }));
}

/** The first warning due strictly after `after` and before the end: what to schedule when an order starts, is renewed, or was warned. */
export function nextWarning(endsAt: string, after: Date): OrderWarning | undefined {
  const end = Date.parse(endsAt);
  return warningsOf(endsAt).find((w) => Date.parse(w.at) > after.getTime() && Date.parse(w.at) < end);
}

/**
 * The warning to give at `now`: the latest one due by then (a tick that comes late
 * gives only the latest, never a stale one after it), none once the order has ended.
 */
export function dueWarning(endsAt: string, now: Date): OrderWarning | undefined {
  if (Date.parse(endsAt) <= now.getTime()) return undefined;
  return warningsOf(endsAt)
    .filter((w) => Date.parse(w.at) <= now.getTime())
    .at(-1);
}

/** How an order stands once its run ended while it was Active: Expired at its end, Cancelled before. */
export function endOfActiveOrder(order: { endsAt?: string }, now: Date): { state: 'Expired' | 'Cancelled'; endedAt: string } {
  if (order.endsAt !== undefined && Date.parse(order.endsAt) <= now.getTime()) return { state: 'Expired', endedAt: order.endsAt };
  return { state: 'Cancelled', endedAt: now.toISOString() };
}
