/**
 * What moves an order besides its state machine's steps: starting its execution,
 * the customer's cancel and renew, and the end of its run (FinalizeRun). Each
 * change goes through `changeOrder`, so it is one transaction with its step, its
 * event, the run's expiry and the pending warning; a repeat finds it done.
 */
import type { AppDeps } from '#functions/commons/deps';
import { ConflictError } from '#functions/domain/errors';
import { endOfActiveOrder, isOrderFinal, nextWarning, renewedEndsAt } from '#functions/domain/orders';
import { isFinal } from '#functions/domain/run-states';
import { changeOrder, endedOrderIndex, reminderItem, runExpiryItem, type OrderDoc } from '#functions/store/orders';
import { getRun, type RunDoc } from '#functions/store/runs';
import type { ProductDoc } from '#functions/store/products';
import type { LaunchRequest } from './launch-plan';
import { requestTermination, startExecution } from './run-executions';

/** What an order's run is launched as: the product's deployment version and connector, owned by the customer, sponsored by the vendor. */
export function orderLaunchRequest(product: ProductDoc, order: Pick<OrderDoc, 'id' | 'customer'>): LaunchRequest {
  return {
    owner: order.customer,
    deployment: product.deployment,
    deploymentVersion: product.deploymentVersion,
    connector: product.connector,
    nodes: {},
    sponsor: { user: product.owner, order: order.id },
  };
}

/** Starts the order's execution (named after the order id); a repeated start finds it started. */
export async function startOrderExecution(deps: AppDeps, orderId: string): Promise<void> {
  const input = { orderId, retryBaseSeconds: deps.config.orders().retryBaseSeconds, launch: { attempt: 0 } };
  await startExecution(deps, deps.config.orderStateMachineArn(), orderId, input);
}

/** Asks the order's current run to end, unless it is ending already. */
async function terminateRunOf(deps: AppDeps, order: OrderDoc, why: string): Promise<void> {
  const run = order.run ? await getRun(deps.table, order.run) : undefined;
  if (run && !isFinal(run.state)) await requestTermination(deps, run, why);
}

/**
 * The customer (or an admin) cancels: the order is Cancelled at once (`endedAt` now) and
 * its run is asked to terminate; the order's state machine, if still provisioning, stops at its next look.
 * @returns the order, and whether this call cancelled it (false: it was Cancelled already)
 * @throws ConflictError when the order ended otherwise (Expired, Failed)
 */
export async function cancelOrder(deps: AppDeps, orderId: string, by: string): Promise<{ order: OrderDoc; cancelled: boolean }> {
  const now = deps.now();
  const endedAt = now.toISOString();
  const outcome = await changeOrder(deps.table, orderId, now, (order) => {
    if (isOrderFinal(order.state)) return undefined;
    return {
      to: 'Cancelled',
      message: `cancelled by ${by}`,
      set: { endedAt, ...(order.state === 'Active' ? endedOrderIndex(endedAt, order.id) : {}) },
      also: [reminderItem(deps.table, order, undefined, undefined)],
    };
  });
  const order = outcome.order!;
  if (!outcome.changed && order.state !== 'Cancelled') throw new ConflictError(`order ${orderId} is ${order.state}: it cannot be cancelled`);
  await terminateRunOf(deps, order, `order ${order.id} cancelled`);
  return { order, cancelled: outcome.changed };
}

/**
 * Renews an Active order before its end: `endsAt` and its run's `expiresAt` move one
 * term later together (and the next warning with them).
 * @throws ConflictError for a plan without a term, an order that is not Active or has ended, or a run already ending
 */
export async function renewOrder(deps: AppDeps, orderId: string): Promise<OrderDoc> {
  const now = deps.now();
  const outcome = await changeOrder(deps.table, orderId, now, (order) => {
    const renewal = renewedEndsAt(order, order.plan.termDays, now);
    if ('refusal' in renewal) throw new ConflictError(`order ${order.id} cannot be renewed: ${renewal.refusal}`);
    return {
      message: `renewed until ${renewal.endsAt}`,
      set: { endsAt: renewal.endsAt },
      also: [
        runExpiryItem(deps.table, order.run!, renewal.endsAt, { state: 'Ready', expiresAt: order.endsAt }),
        reminderItem(deps.table, order, renewal.endsAt, nextWarning(renewal.endsAt, now)),
      ],
    };
  });
  if (!outcome.changed) throw new ConflictError(`order ${orderId} cannot be renewed: its run is already ending`);
  return outcome.order;
}

/**
 * FinalizeRun's call when a sponsored run ended: the order it serves, if it was Active
 * on that run, is Expired (its end passed: `endedAt` = `endsAt`) or Cancelled (the run
 * was terminated before). A run of a failed attempt, or of an order already ended, changes nothing.
 */
export async function settleOrderOfRun(deps: AppDeps, run: Pick<RunDoc, 'id' | 'sponsor'>): Promise<void> {
  if (!run.sponsor) return;
  const now = deps.now();
  await changeOrder(deps.table, run.sponsor.order, now, (order) => {
    if (order.run !== run.id || order.state !== 'Active') return undefined;
    const end = endOfActiveOrder(order, now);
    return {
      to: end.state,
      message: end.state === 'Expired' ? `expired at ${order.endsAt}: run ${run.id} terminated` : `run ${run.id} was terminated: the order is cancelled`,
      set: { endedAt: end.endedAt, ...endedOrderIndex(end.endedAt, order.id) },
      also: [reminderItem(deps.table, order, undefined, undefined)],
    };
  });
}
