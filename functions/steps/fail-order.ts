/**
 * FailOrder: every launch attempt failed (or a step could not go on): the order is
 * Failed, with the last run's abortReason as `failureReason`, and the execution then
 * fails with OrderFailed and that reason. An order that ended otherwise meanwhile
 * (cancelled) stays as it is.
 */
import type { AppDeps } from '#functions/commons/deps';
import { abortReason } from '#functions/domain/abort-reason';
import { changeOrder, reminderItem } from '#functions/store/orders';
import { stepHandler } from './step';

/** What the state machine hands over: the last look (`reason`), or the error a task failed with. */
export interface FailOrderInput {
  orderId: string;
  outcome: { reason?: string; Error?: string; Cause?: string };
}

export async function failOrder({ orderId, outcome }: FailOrderInput, deps: AppDeps): Promise<{ reason: string }> {
  const reason = outcome.reason ?? abortReason(outcome);
  const now = deps.now();
  await changeOrder(deps.table, orderId, now, (order) =>
    order.state === 'Pending' || order.state === 'Provisioning'
      ? {
          to: 'Failed',
          message: `failed after ${order.attempts} attempt(s): ${reason}`,
          set: { failureReason: reason, endedAt: now.toISOString() },
          also: [reminderItem(deps.table, order, undefined, undefined)],
        }
      : undefined,
  );
  return { reason };
}

export const handler = stepHandler(failOrder, { name: 'FailOrder' });
