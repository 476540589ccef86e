/**
 * Month-close schedule: closes the previous UTC month when it is not closed yet
 * (EventBridge `cron(15 0 1 * ? *)` in AWS; every tick of the local timer, where a
 * month already closed costs one read). The close itself is functions/billing/close-month.ts.
 */
import type { AppDeps } from '#functions/commons/deps';
import { closeMonth } from '#functions/billing/close-month';
import { monthAt, previousMonth, secondOf } from '#functions/domain/billing';
import { getMonthClose } from '#functions/store/billing';
import { scheduleHandler } from './schedule-handler';

export async function closePreviousMonth(deps: AppDeps): Promise<{ month: string; closed: boolean; invoices?: number }> {
  const now = deps.now();
  const month = previousMonth(monthAt(secondOf(now)));
  if ((await getMonthClose(deps.table, month))?.state === 'closed') return { month, closed: false };
  const { close, alreadyClosed } = await closeMonth(deps, month, now);
  return { month, closed: !alreadyClosed, invoices: close.invoices };
}

export const handler = scheduleHandler('monthClose', closePreviousMonth);
