/**
 * Closing a month: per customer an issued invoice for the orders active in the span
 * the close covers, per vendor a report, then the month's marker says `closed`.
 *
 * The span: from where the previous month's close stopped (its `coveredUntil`; the
 * month's start when it has none) to the month's end, or to `upTo` when the month is
 * still running (an admin closing the current month by hand: usage after that moment
 * goes on the next month's invoice, whose span starts there). The first attempt fixes
 * the span, the fee and the issue time in the marker before writing anything else;
 * invoices and reports are conditional puts with ids derived from the month; so a
 * close repeated, resumed after a crash or a timeout (it skips the customers already
 * invoiced), or run twice at once issues the same invoices once, and a month already
 * closed is one read.
 *
 * VM-seconds come from the usage records of the orders' runs that have ended and,
 * for an order's run still live, from its instances' create (and terminate) times up
 * to `coveredUntil`; a run's records are ignored while it is live, so no second is
 * counted from both. The next close counts from `coveredUntil` on, and each line
 * charges the growth of its month's cumulative (functions/domain/billing.ts), so
 * neither a second nor a minor unit is billed twice or lost across closes.
 */
import type { AppDeps } from '#functions/commons/deps';
import {
  customerInvoice,
  dayStart,
  instant,
  isoAt,
  monthAt,
  monthSpan,
  MONTH_PATTERN,
  previousMonth,
  secondOf,
  totalsByCurrency,
  vendorReports,
  type BillableOrder,
  type OrderUsage,
  type Span,
  type VmInterval,
} from '#functions/domain/billing';
import { ValidationError } from '#functions/domain/errors';
import { isFinal, type RunState } from '#functions/domain/run-states';
import { vmIntervals } from '#functions/domain/usage';
import type { InvoiceT } from '#functions/schemas/store-catalog';
import { finishMonthClose, getBillingSettings, getMonthClose, putVendorReport, runStates, startMonthClose, type MonthClose } from '#functions/store/billing';
import { listMonthInvoices, putInvoice } from '#functions/store/invoices';
import { listOrdersActiveBetween } from '#functions/store/orders';
import { listRunInstances } from '#functions/store/runs';
import { listOrderUsage, type UsageRecord } from '#functions/store/usage';
import type { TableClient } from '#functions/store/table-client';

/** The orders whose charged span meets `span` (ISO instants, `from` included, `to` not). */
export type ListBillableOrders = (table: TableClient, span: { from: string; to: string }) => Promise<BillableOrder[]>;

/** Every order Active at some moment of `span`, through the orders' billing indexes (page after page). */
export const billableOrders: ListBillableOrders = async (table, span) => {
  const orders: BillableOrder[] = [];
  let cursor: string | undefined;
  do {
    const page = await listOrdersActiveBetween(table, span.from, span.to, { limit: 500, cursor });
    orders.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return orders;
};

export interface CloseOptions {
  /** Where the orders come from. @default billableOrders */
  listOrders?: ListBillableOrders;
  /** Customers billed at once. @default 16 */
  concurrency?: number;
}

export interface CloseOutcome {
  close: MonthClose;
  /** True when the month was closed before: nothing was written. */
  alreadyClosed: boolean;
}

/**
 * The month `month` as a close sees it at `upTo`.
 * @throws ValidationError (on `query.month`) for a month that is not `YYYY-MM` or has not started
 */
export function closableMonth(month: string, upTo: Date): Span {
  const problem = (message: string) => new ValidationError(`1 invalid field(s)`, [{ path: 'query.month', message }]);
  if (!MONTH_PATTERN.test(month)) throw problem('a month as YYYY-MM');
  const span = monthSpan(month);
  if (span.start > secondOf(upTo)) throw problem(`${month} has not started yet (it is ${upTo.toISOString().slice(0, 7)})`);
  return { from: span.start, to: Math.min(span.end, secondOf(upTo)) };
}

/** Runs `work` over `items`, at most `limit` at once. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The VM intervals a usage record holds (records from before instances were kept hold none). */
const recordIntervals = (record: UsageRecord): VmInterval[] =>
  (record.instances ?? []).map((i) => ({
    run: record.run,
    instance: i.instance,
    ...(i.instanceType ? { instanceType: i.instanceType } : {}),
    from: instant(i.from),
    to: instant(i.to),
  }));

/** Each order's VM intervals: its ended runs' records, and its live run's instances up to `until`. */
async function usageOf(
  table: TableClient,
  customer: string,
  orders: readonly BillableOrder[],
  window: Span,
  states: ReadonlyMap<string, RunState>,
): Promise<OrderUsage[]> {
  // From the first day of the window's first month: a line charges the growth of its month's cumulative.
  const range = { from: isoAt(monthSpan(monthAt(window.from)).start).slice(0, 10), to: isoAt(dayStart(window.to - 1)).slice(0, 10) };
  const records = await listOrderUsage(table, customer, range);
  return Promise.all(
    orders.map(async (order) => {
      const state = order.run ? states.get(order.run) : undefined;
      const live = order.run !== undefined && state !== undefined && !isFinal(state) ? order.run : undefined;
      const usage = records.filter((r) => r.order === order.id && r.run !== live).flatMap(recordIntervals);
      if (live) {
        const instances = await listRunInstances(table, live);
        for (const { vm, from, to } of vmIntervals(instances, new Date(window.to * 1000))) {
          usage.push({ run: live, instance: vm.name ?? '', ...(vm.instanceType ? { instanceType: vm.instanceType } : {}), from, to });
        }
      }
      return { order, usage };
    }),
  );
}

/**
 * Closes `month` (`YYYY-MM`) as of `upTo`: see the module comment.
 * @throws ValidationError for a month that is malformed or has not started (nothing written)
 */
export async function closeMonth(deps: AppDeps, month: string, upTo: Date, options: CloseOptions = {}): Promise<CloseOutcome> {
  const closable = closableMonth(month, upTo);
  const { table } = deps;
  let close = await getMonthClose(table, month);
  if (close?.state === 'closed') return { close, alreadyClosed: true };
  // A close that stopped part way (a crash, a timeout): the invoices it issued stand, the others are still to do.
  const resumed = close !== undefined;
  if (!close) {
    const [previous, settings] = await Promise.all([getMonthClose(table, previousMonth(month)), getBillingSettings(table)]);
    close = await startMonthClose(table, {
      month,
      state: 'closing',
      coveredFrom: isoAt(previous ? Math.min(instant(previous.coveredUntil), closable.from) : closable.from),
      coveredUntil: isoAt(closable.to),
      feeBasisPoints: settings.feeBasisPoints,
      startedAt: isoAt(secondOf(upTo)),
    });
    if (close.state === 'closed') return { close, alreadyClosed: true };
  }

  const marker = close;
  const window = { from: instant(marker.coveredFrom), to: instant(marker.coveredUntil) };
  const invoices: InvoiceT[] = [];
  if (window.to > window.from) {
    const orders = await (options.listOrders ?? billableOrders)(table, { from: marker.coveredFrom, to: marker.coveredUntil });
    const states = await runStates(
      table,
      orders.flatMap((o) => (o.run ? [o.run] : [])),
    );
    const byCustomer = new Map<string, BillableOrder[]>();
    for (const order of orders) {
      const list = byCustomer.get(order.customer) ?? [];
      list.push(order);
      byCustomer.set(order.customer, list);
    }
    const customers = [...byCustomer.keys()].sort();
    const done = new Map((resumed ? await listMonthInvoices(table, month) : []).map((invoice) => [invoice.customer, invoice]));
    const issued = await inPool(customers, options.concurrency ?? 16, async (customer) => {
      if (done.has(customer)) return done.get(customer);
      const usage = await usageOf(table, customer, byCustomer.get(customer)!, window, states);
      const invoice = customerInvoice(customer, month, window, usage, marker.startedAt);
      return invoice ? (await putInvoice(table, invoice)).invoice : undefined;
    });
    invoices.push(...issued.flatMap((i) => (i ? [i] : [])));
    // Issued by the attempt that stopped, for customers this one did not find: still the month's.
    for (const [customer, invoice] of done) if (!byCustomer.has(customer)) invoices.push(invoice);
  }
  const reports = vendorReports(month, invoices, marker.feeBasisPoints, window);
  await inPool(reports, options.concurrency ?? 16, (report) => putVendorReport(table, report));
  const closed = await finishMonthClose(table, month, {
    closedAt: deps.now().toISOString(),
    invoices: invoices.length,
    vendors: reports.length,
    totals: totalsByCurrency(invoices.flatMap((i) => i.totals)),
  });
  return { close: closed, alreadyClosed: false };
}
