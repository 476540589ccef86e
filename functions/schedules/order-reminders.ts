/**
 * Order reminders schedule: each Active order gets a warning step (and an
 * `order-warning` event, published like every event) 7 days and 1 day before its
 * `endsAt`. Orders with a warning due are found through the expiry index's
 * order-reminder partition, never a Scan; each warning is given once: the step and
 * the order's next reminder are one transaction. A tick that comes late gives only
 * the latest warning due.
 */
import type { AppDeps } from '#functions/commons/deps';
import { dueWarning, nextWarning } from '#functions/domain/orders';
import { changeOrder, getReminder, listDueReminders, setReminder, reminderItem } from '#functions/store/orders';
import { scheduleHandler } from './schedule-handler';

export async function remindOrders(deps: AppDeps): Promise<{ warned: string[] }> {
  const now = deps.now();
  const warned: string[] = [];
  for (const orderId of await listDueReminders(deps.table, now)) {
    // The index lags the table: the reminder as it is now says whether it is still due.
    const reminder = await getReminder(deps.table, orderId);
    if (!reminder || Date.parse(reminder.dueAt) > now.getTime()) continue;
    const outcome = await changeOrder(deps.table, orderId, now, (order) => {
      const warning = order.state === 'Active' && order.endsAt ? dueWarning(order.endsAt, now) : undefined;
      if (!warning || !order.endsAt) return undefined;
      return { kind: 'order-warning', message: warning.message, also: [reminderItem(deps.table, order, order.endsAt, nextWarning(order.endsAt, now))] };
    });
    if (outcome.changed) warned.push(orderId);
    // Nothing to warn about (the order ended, or its end moved): the reminder follows the order as it is.
    else await setReminder(deps.table, orderId, outcome.order?.state === 'Active' ? outcome.order.endsAt : undefined, now);
  }
  return { warned };
}

export const handler = scheduleHandler('orderReminders', remindOrders);
