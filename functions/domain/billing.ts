/**
 * Billing (pure): what a customer owes for their orders over one span of time, and
 * what each vendor earned. Time is counted in whole epoch seconds (every instant is
 * rounded to the nearest second once, so splitting a span anywhere loses no second),
 * money in integer minor units with BigInt products: no amount goes through floating point.
 *
 * The rounding rule (the only one): **a charge is the growth of a cumulative amount
 * rounded down.** Along a running quantity q (the days of a month for a monthly fee;
 * an order's VM-seconds in a month for VM-hours), the cumulative charge is
 * floor(rate × q / unit), and the part of q from q₀ to q₁ costs
 * floor(rate × q₁ / unit) − floor(rate × q₀ / unit). So:
 * - day i (0-based) of a month of D days costs floor(fee·(i+1)/D) − floor(fee·i/D):
 *   the D days of a month add up to exactly the monthly fee, whatever days an invoice holds;
 * - an order's VM-seconds in a month cost floor(price·S/3600) in total however many
 *   closes split them (each charges the growth since the previous one);
 * - the platform fee of a vendor's revenue R is floor(R·bp/10000), the net R − fee;
 * - totals are exact integer sums of lines.
 * A cumulative is never more than one minor unit below the exact amount, and no
 * minor unit is created.
 */
import type { InvoiceLineT, InvoiceT, OrderStateT, PlanT, SignedMoneyT, VendorReportT } from '#functions/schemas/store-catalog';

export const DAY_SECONDS = 86_400;
export const HOUR_SECONDS = 3_600;
/** Basis points in a whole. */
export const BASIS_POINTS = 10_000;

// ---------------------------------------------------------------- integer money

/** Division rounded towards −∞ (BigInt's own `/` truncates towards 0). */
export function floorDiv(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('the denominator must be positive');
  const quotient = numerator / denominator;
  return numerator % denominator !== 0n && numerator < 0n ? quotient - 1n : quotient;
}

/** `value` as a JSON-safe integer. @throws RangeError beyond ±Number.MAX_SAFE_INTEGER */
export function safeAmount(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${value} is beyond the largest safe amount`);
  return Number(value);
}

const int = (n: number | bigint): bigint => {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`${n} is not a safe integer`);
  return BigInt(n);
};

/** The cumulative charge at `position`: floor(rate × position / unit). */
export const cumulativeCharge = (rate: number, position: number | bigint, unit: number): bigint => floorDiv(int(rate) * int(position), int(unit));

/** The charge of the part of a running quantity from `from` to `to`: the growth of the rounded-down cumulative. */
export const partCharge = (rate: number, from: number | bigint, to: number | bigint, unit: number): number =>
  safeAmount(cumulativeCharge(rate, to, unit) - cumulativeCharge(rate, from, unit));

/** What day `dayIndex` (0-based) of a month of `days` days costs of a monthly `fee`. */
export const dayCharge = (fee: number, dayIndex: number, days: number): number => partCharge(fee, dayIndex, dayIndex + 1, days);

/** What the days `dayIndexes` of a month of `days` days cost of a monthly `fee`. */
export const feeForDays = (fee: number, dayIndexes: readonly number[], days: number): number =>
  safeAmount(dayIndexes.reduce((sum, i) => sum + BigInt(dayCharge(fee, i, days)), 0n));

/** The charge at `pricePerHour` of the VM-seconds from `before` to `after` of one running count. */
export const vmSecondsCharge = (pricePerHour: number, before: number, after: number): number => partCharge(pricePerHour, before, after, HOUR_SECONDS);

/** The platform's share of `revenue` at `basisPoints`, rounded down. */
export const platformFee = (revenue: number, basisPoints: number): number => safeAmount(cumulativeCharge(basisPoints, revenue, BASIS_POINTS));

/** One total per currency (sorted by currency), exact. */
export function totalsByCurrency(amounts: readonly SignedMoneyT[]): SignedMoneyT[] {
  const sums = new Map<string, bigint>();
  for (const { amount, currency } of amounts) sums.set(currency, (sums.get(currency) ?? 0n) + int(amount));
  return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, sum]) => ({ amount: safeAmount(sum), currency }));
}

// ---------------------------------------------------------------- time

/** `YYYY-MM`, a month from 0001-01 to 9999-12. */
export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface MonthSpan {
  month: string;
  /** Epoch seconds of its first instant. */
  start: number;
  /** Epoch seconds of the next month's first instant. */
  end: number;
  days: number;
}

/** The UTC month `month` (`YYYY-MM`). @throws RangeError for anything else */
export function monthSpan(month: string): MonthSpan {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`"${month}" is not a month (YYYY-MM)`);
  const [year, index] = [Number(match[1]), Number(match[2]) - 1];
  const start = Date.UTC(year, index, 1) / 1000;
  const end = Date.UTC(year, index + 1, 1) / 1000;
  return { month, start, end, days: (end - start) / DAY_SECONDS };
}

/** The UTC month holding the epoch second `at`. */
export const monthAt = (at: number): string => isoAt(at).slice(0, 7);

export const nextMonth = (month: string): string => monthAt(monthSpan(month).end);
export const previousMonth = (month: string): string => monthAt(monthSpan(month).start - 1);

/** An ISO 8601 instant as epoch seconds, rounded to the nearest second. */
export const instant = (iso: string): number => Math.round(Date.parse(iso) / 1000);

/** A date as epoch seconds, rounded down (a close never covers a moment still to come). */
export const secondOf = (date: Date): number => Math.floor(date.getTime() / 1000);

export const isoAt = (at: number): string => new Date(at * 1000).toISOString();

/** The first second of the UTC day holding `at`. */
export const dayStart = (at: number): number => at - (((at % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS);

/** A span of epoch seconds, `from` included, `to` not. */
export interface Span {
  from: number;
  to: number;
}

// ---------------------------------------------------------------- orders and usage

/** What billing reads of an order (a subset of `Order`). */
export interface BillableOrder {
  id: string;
  customer: string;
  vendor: string;
  product: string;
  plan: PlanT;
  state: OrderStateT;
  run?: string;
  startsAt?: string;
  endsAt?: string;
  endedAt?: string;
  steps?: readonly { state: OrderStateT }[];
}

/** When an order is charged: from its start to its end (`to` is Infinity while it runs), free until `trialEnd`. */
export interface OrderSpan extends Span {
  /** The first second after the trial: the start of the UTC day `trialDays` days after the order's first day. */
  trialEnd: number;
}

/**
 * An order is charged from `startsAt` to the earlier of `endedAt` and `endsAt`; one
 * that never became Active (no `startsAt`, still Pending or Provisioning, or Failed
 * without ever being Active) is not charged. Trial days are whole UTC days: the
 * order's first `trialDays` days, its first day being the one `startsAt` falls on.
 */
export function orderSpan(order: BillableOrder): OrderSpan | undefined {
  if (!order.startsAt || order.state === 'Pending' || order.state === 'Provisioning') return undefined;
  if (order.state === 'Failed' && !(order.steps ?? []).some((s) => s.state === 'Active')) return undefined;
  const from = instant(order.startsAt);
  const ends = [order.endedAt, order.endsAt].flatMap((at) => (at ? [instant(at)] : []));
  const to = ends.length ? Math.min(...ends) : Infinity;
  if (!(to > from)) return undefined;
  return { from, to, trialEnd: dayStart(from) + (order.plan.trialDays ?? 0) * DAY_SECONDS };
}

/** One VM's use, in epoch seconds: one instance of one run, from `from` to `to`. */
export interface VmInterval extends Span {
  run: string;
  instance: string;
  instanceType?: string;
}

/** VM-seconds of `intervals` between `from` and `to`. */
export function vmSecondsIn(intervals: readonly VmInterval[], from: number, to: number): number {
  let seconds = 0;
  for (const i of intervals) seconds += Math.max(0, Math.min(i.to, to) - Math.max(i.from, from));
  return seconds;
}

/** The UTC months a span touches, in order. */
export function monthsOf(span: Span): MonthSpan[] {
  const months: MonthSpan[] = [];
  if (!(span.to > span.from)) return months;
  for (let m = monthSpan(monthAt(span.from)); m.start < span.to; m = monthSpan(nextMonth(m.month))) months.push(m);
  return months;
}

/**
 * The fee days of `order` that `window` charges, by month (day indexes within the
 * month). A day belongs to the window that holds the order's first moment on it, so
 * windows that follow each other charge every active day once; trial days are never charged.
 */
export function feeDays(span: OrderSpan, window: Span): Map<string, number[]> {
  const byMonth = new Map<string, number[]>();
  const last = Math.min(span.to, window.to);
  for (let day = dayStart(Math.max(span.from, window.from)); day < last; day += DAY_SECONDS) {
    const first = Math.max(day, span.from);
    if (first < window.from || first >= last || day < span.trialEnd) continue;
    const month = monthSpan(monthAt(day));
    const days = byMonth.get(month.month) ?? [];
    days.push((day - month.start) / DAY_SECONDS);
    byMonth.set(month.month, days);
  }
  return byMonth;
}

const money = (amount: number, currency: string): SignedMoneyT => ({ amount, currency });

/**
 * The invoice lines of one order for `window`: per month it touches, the fee for the
 * active days the window charges, and the VM-hours of `usage` (the order's VM
 * intervals, from the start of the window's first month at least) inside the order's
 * span after its trial — each the growth of the month's rounded-down cumulative.
 */
export function orderLines(order: BillableOrder, window: Span, usage: readonly VmInterval[]): InvoiceLineT[] {
  const span = orderSpan(order);
  if (!span) return [];
  const { plan } = order;
  const base = { order: order.id, product: order.product, plan: plan.name, vendor: order.vendor };
  const lines: InvoiceLineT[] = [];
  const fees = feeDays(span, window);
  for (const month of monthsOf(window)) {
    const days = fees.get(month.month) ?? [];
    if (days.length) {
      lines.push({
        ...base,
        month: month.month,
        kind: 'fee',
        description: `${plan.name}: monthly fee for ${days.length} of the ${month.days} days of ${month.month}`,
        quantity: days.length,
        amount: money(feeForDays(plan.monthlyFee.amount, days, month.days), plan.monthlyFee.currency),
      });
    }
    // The month's billable part of the order: after its start and its trial, before its end.
    const billable = { from: Math.max(month.start, span.from, span.trialEnd), to: Math.min(month.end, span.to) };
    if (!(billable.to > billable.from)) continue;
    const before = vmSecondsIn(usage, billable.from, Math.max(billable.from, Math.min(billable.to, window.from)));
    const after = vmSecondsIn(usage, billable.from, Math.max(billable.from, Math.min(billable.to, window.to)));
    if (after > before) {
      lines.push({
        ...base,
        month: month.month,
        kind: 'vm-hours',
        description: `${plan.name}: ${after - before} VM-seconds in ${month.month} at ${plan.vmHourPrice.amount} per VM-hour`,
        quantity: after - before,
        amount: money(vmSecondsCharge(plan.vmHourPrice.amount, before, after), plan.vmHourPrice.currency),
      });
    }
  }
  return lines;
}

/** The id of a customer's invoice for a month: one per customer and month, so a repeated close finds it. */
export const invoiceId = (month: string, customer: string): string => `inv_${month.replace('-', '')}_${customer}`;

export interface OrderUsage {
  order: BillableOrder;
  usage: readonly VmInterval[];
}

/** A customer's issued invoice for `month` over `window`, or undefined when nothing is charged. */
export function customerInvoice(customer: string, month: string, window: Span, orders: readonly OrderUsage[], issuedAt: string): InvoiceT | undefined {
  const lines = [...orders].sort((a, b) => a.order.id.localeCompare(b.order.id)).flatMap(({ order, usage }) => orderLines(order, window, usage));
  if (!lines.length) return undefined;
  return {
    id: invoiceId(month, customer),
    customer,
    month,
    state: 'issued',
    lines,
    totals: totalsByCurrency(lines.map((l) => l.amount)),
    coveredFrom: isoAt(window.from),
    coveredUntil: isoAt(window.to),
    issuedAt,
    version: 1,
  };
}

/** An empty report (a vendor with nothing sold in a closed month). */
export const emptyReport = (vendor: string, month: string, feeBasisPoints: number, window: { coveredFrom: string; coveredUntil: string }): VendorReportT => ({
  vendor,
  month,
  feeBasisPoints,
  coveredFrom: window.coveredFrom,
  coveredUntil: window.coveredUntil,
  lines: [],
  totals: [],
});

/**
 * Each vendor's report for a month from that month's invoices: revenue per product,
 * plan and currency (the sum of the lines of the vendor's orders), and per currency
 * the platform fee (rounded down) and the net.
 */
export function vendorReports(month: string, invoices: readonly InvoiceT[], feeBasisPoints: number, window: Span): VendorReportT[] {
  const byVendor = new Map<string, Map<string, { product: string; plan: string; currency: string; revenue: bigint; orders: Set<string> }>>();
  for (const line of invoices.flatMap((i) => i.lines)) {
    const lines = byVendor.get(line.vendor) ?? new Map();
    byVendor.set(line.vendor, lines);
    const key = JSON.stringify([line.product, line.plan, line.amount.currency]);
    const sum = lines.get(key) ?? { product: line.product, plan: line.plan, currency: line.amount.currency, revenue: 0n, orders: new Set<string>() };
    sum.revenue += BigInt(line.amount.amount);
    sum.orders.add(line.order);
    lines.set(key, sum);
  }
  const covered = { coveredFrom: isoAt(window.from), coveredUntil: isoAt(window.to) };
  return [...byVendor.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([vendor, sums]) => {
      const lines = [...sums.values()].sort(
        (a, b) => a.product.localeCompare(b.product) || a.plan.localeCompare(b.plan) || a.currency.localeCompare(b.currency),
      );
      const totals = totalsByCurrency(lines.map((l) => money(safeAmount(l.revenue), l.currency))).map(({ amount, currency }) => {
        const fee = platformFee(amount, feeBasisPoints);
        return { currency, revenue: amount, fee, net: safeAmount(BigInt(amount) - BigInt(fee)) };
      });
      return {
        ...emptyReport(vendor, month, feeBasisPoints, covered),
        lines: lines.map((l) => ({ product: l.product, plan: l.plan, orders: l.orders.size, revenue: money(safeAmount(l.revenue), l.currency) })),
        totals,
      };
    });
}
