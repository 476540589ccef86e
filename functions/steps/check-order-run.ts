/**
 * CheckOrderRun: one look at the run of an order's current attempt. Its progress is
 * recorded as a step of the order (once per run state); Ready makes the order Active
 * (from now, ending after the plan's term, which becomes the run's expiry) in one
 * transaction that requires the run to still be Ready; Aborted, or not Ready within
 * the run's deadline, fails the attempt; a run terminated by its customer before it
 * was Ready cancels the order. An order cancelled meanwhile has its run terminated
 * and ends the loop. Re-entrant: a repeated look records nothing twice.
 */
import type { AppDeps } from '#functions/commons/deps';
import { endsAtFor, isOrderFinal, nextWarning, ORDER_RUN_DEADLINE_SECONDS, retryWaitSeconds } from '#functions/domain/orders';
import { nextWaitSeconds } from '#functions/domain/boot-polling';
import { isFinal } from '#functions/domain/run-states';
import { requestTermination } from '#functions/runs/run-executions';
import { changeOrder, getOrder, openOrderIndex, reminderItem, runExpiryItem, runStateCheck, type OrderDoc } from '#functions/store/orders';
import { getRun, type RunDoc } from '#functions/store/runs';
import type { OrderLaunchState } from './launch-order-run';
import { stepHandler } from './step';

export interface CheckOrderRunInput {
  orderId: string;
  launch: OrderLaunchState;
  retryBaseSeconds: number;
  maxAttempts: number;
}

/** Makes the order Active on its Ready run; false when the order or the run moved on meanwhile. */
async function activate(deps: AppDeps, orderId: string, run: RunDoc): Promise<boolean> {
  const now = deps.now();
  const startsAt = now.toISOString();
  const outcome = await changeOrder(deps.table, orderId, now, (order) => {
    if (order.state !== 'Provisioning' || order.run !== run.id) return undefined;
    const endsAt = endsAtFor(now, order.plan.termDays);
    return {
      to: 'Active',
      message: `active: run ${run.id} is Ready${endsAt ? `, until ${endsAt}` : ''}`,
      set: { startsAt, endsAt, runState: run.state, ...openOrderIndex(startsAt, order.id) },
      also: [
        endsAt ? runExpiryItem(deps.table, run.id, endsAt, { state: 'Ready', expiresAt: run.expiresAt }) : runStateCheck(deps.table, run.id, 'Ready'),
        reminderItem(deps.table, order, endsAt, endsAt ? nextWarning(endsAt, now) : undefined),
      ],
    };
  });
  return outcome.changed || (outcome.order?.state === 'Active' && outcome.order.run === run.id);
}

/** Records the run's state as a step, once per state it reaches. */
async function recordProgress(deps: AppDeps, orderId: string, run: RunDoc, message: string): Promise<OrderDoc | undefined> {
  const outcome = await changeOrder(deps.table, orderId, deps.now(), (order) =>
    order.state === 'Provisioning' && order.run === run.id && order.runState !== run.state ? { message, set: { runState: run.state } } : undefined,
  );
  return outcome.order;
}

export async function checkOrderRun({ orderId, launch, retryBaseSeconds, maxAttempts }: CheckOrderRunInput, deps: AppDeps): Promise<OrderLaunchState> {
  const polls = launch.polls + 1;
  const next = { ...launch, polls, waitSeconds: nextWaitSeconds(launch.pollSeconds, polls) };
  const [order, run] = await Promise.all([getOrder(deps.table, orderId), launch.runId ? getRun(deps.table, launch.runId) : undefined]);
  if (!order) throw new Error(`order ${orderId} does not exist`);
  const failed = (reason: string) => {
    const retry = launch.attempt < maxAttempts ? retryWaitSeconds(retryBaseSeconds, launch.attempt) : undefined;
    return { ...next, status: 'failed' as const, reason, ...(retry !== undefined ? { retryWaitSeconds: retry } : {}) };
  };
  const failure = async (reason: string) => {
    const outcome = failed(reason);
    const then = outcome.retryWaitSeconds !== undefined ? `; trying again in ${outcome.retryWaitSeconds} s` : '';
    if (run) await recordProgress(deps, orderId, { ...run, state: 'Aborted' }, `attempt ${launch.attempt} of ${maxAttempts} failed: ${reason}${then}`);
    return outcome;
  };

  if (isOrderFinal(order.state) || order.run !== launch.runId) {
    if (run && !isFinal(run.state) && run.state !== 'Finalizing') await requestTermination(deps, run, `order ${orderId} is ${order.state}`);
    return { ...next, status: order.state === 'Active' ? 'active' : 'closed' };
  }
  if (order.state === 'Active') return { ...next, status: 'active' };
  if (!run) return failure(`run ${launch.runId} does not exist`);
  switch (run.state) {
    case 'Ready':
      if (await activate(deps, orderId, run)) return { ...next, status: 'active' };
      return checkAgain(deps, orderId, next);
    case 'Aborted':
      return failure(run.abortReason ?? 'the run was aborted');
    case 'Done': {
      // Its customer terminated the run before it was Ready: the order goes with it.
      const outcome = await changeOrder(deps.table, orderId, deps.now(), (current) =>
        current.state === 'Provisioning' && current.run === run.id
          ? { to: 'Cancelled', message: `run ${run.id} was terminated before it was Ready: the order is cancelled`, set: { endedAt: deps.now().toISOString() } }
          : undefined,
      );
      return { ...next, status: outcome.order?.state === 'Active' ? 'active' : 'closed' };
    }
    default:
      await recordProgress(deps, orderId, run, `run ${run.id} is ${run.state}`);
      if (polls >= launch.maxPolls && run.state !== 'Finalizing') {
        const reason = `run ${run.id} was not Ready within ${ORDER_RUN_DEADLINE_SECONDS / 60} min`;
        await requestTermination(deps, run, `${reason}: order ${orderId} tries again`);
        return failure(reason);
      }
      return next;
  }
}

/** After an activation that did not happen: the order was cancelled, or its run moved on; the next look sorts it out. */
async function checkAgain(deps: AppDeps, orderId: string, next: OrderLaunchState): Promise<OrderLaunchState> {
  const order = await getOrder(deps.table, orderId);
  if (order && isOrderFinal(order.state)) {
    const run = order.run ? await getRun(deps.table, order.run) : undefined;
    if (run && !isFinal(run.state) && run.state !== 'Finalizing') await requestTermination(deps, run, `order ${orderId} is ${order.state}`);
    return { ...next, status: 'closed' };
  }
  return { ...next, status: order?.state === 'Active' ? 'active' : 'pending' };
}

export const handler = stepHandler(checkOrderRun, { name: 'CheckOrderRun' });
