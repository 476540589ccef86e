/** The app store as tables and detail views: products and their plans, price lists, stores, orders, invoices and vendor reports. */
import type { CatalogProductT, InvoiceLineT, InvoiceT, OrderStepT, OrderT, PlanT, PriceListT, ProductViewT, StoreViewT, VendorReportT } from './api-types';
import { formatAmount, formatMoney, formatTotals, percent } from './money';
import { pathOf } from './projects';
import { fields, table, type Column } from './render';

const day = (iso: string | undefined) => iso?.slice(0, 10);
const minute = (iso: string | undefined) => iso?.slice(0, 16).replace('T', ' ');

/** A plan in one phrase: "basic: 19.00 EUR/month + 0.04 EUR/VM-hour, 30-day term, 7 trial days". */
export function planPhrase(plan: PlanT): string {
  const extras = [plan.termDays ? `${plan.termDays}-day term` : 'no term', plan.trialDays ? `${plan.trialDays} trial days` : undefined].filter(Boolean);
  return `${plan.name}: ${formatMoney(plan.monthlyFee)}/month + ${formatMoney(plan.vmHourPrice)}/VM-hour, ${extras.join(', ')}`;
}

export const PLAN_COLUMNS: Column<PlanT>[] = [
  { header: 'plan', value: (p) => p.name },
  { header: 'monthly fee', value: (p) => formatMoney(p.monthlyFee) },
  { header: 'vm-hour', value: (p) => formatMoney(p.vmHourPrice) },
  { header: 'term', value: (p) => (p.termDays ? `${p.termDays} days` : 'until cancelled') },
  { header: 'trial', value: (p) => (p.trialDays ? `${p.trialDays} days` : '-') },
];

const estimate = (product: ProductViewT) => {
  const cost = (product as CatalogProductT).estimatedHourlyCost;
  return cost ? `${formatMoney(cost)}/h` : undefined;
};

export const PRODUCT_COLUMNS: Column<ProductViewT>[] = [
  { header: 'id', value: (p) => p.id },
  { header: 'name', value: (p) => pathOf(p) },
  { header: 'state', value: (p) => p.state },
  { header: 'version', value: (p) => p.version },
  { header: 'plans', value: (p) => p.plans.map((plan) => `${plan.name} ${formatMoney(plan.monthlyFee)}/month`) },
  { header: 'connector', value: (p) => p.connector },
  { header: 'est. vms/h', value: estimate },
  { header: 'vendor', value: (p) => p.owner },
];

/** A product: its fields (the credential only when the caller is its vendor), then its plans. */
export function showProduct(product: ProductViewT, deploymentName?: string): string {
  const head = fields([
    ['product', `${product.name} (${product.id})`],
    ['state', product.state],
    ['version', product.version],
    ['description', product.description],
    ['deployment', `${deploymentName ?? product.deployment} v${product.deploymentVersion}`],
    ['connector', product.connector],
    ...('credential' in product ? [['credential', product.credential] as const] : []),
    ['vms cost', estimate(product) ?? 'no price list'],
    ['vendor', product.owner],
    ['tags', product.tags],
    ['updated', product.updatedAt],
  ]);
  return `${head}\n\n${table(product.plans, PLAN_COLUMNS)}`;
}

/** A price list: its currency, then one row per instance type (prices per hour). */
export function showPriceList(list: PriceListT): string {
  const rows = Object.entries(list.perHour).map(([type, amount]) => ({ type, amount }));
  if (list.defaultPerHour !== undefined) rows.push({ type: '(any other)', amount: list.defaultPerHour });
  const head = fields([
    ['connector', list.connector],
    ['currency', list.currency],
    ['version', list.version],
    ['updated', list.updatedAt],
  ]);
  const prices = rows.length
    ? table(rows, [
        { header: 'instance type', value: (r) => r.type },
        { header: 'per hour', value: (r) => formatMoney({ amount: r.amount, currency: list.currency }) },
      ])
    : 'No prices.';
  return `${head}\n\n${prices}`;
}

/** A store, its products as the catalog shows them, and the "Buy this" link of each. */
export function showStore(store: StoreViewT, apiUrl: string): string {
  const head = fields([
    ['store', `${store.name} (${store.id})`],
    ['description', store.description],
    ['vendor', store.owner],
    ['page', `${apiUrl}/v1/stores/${store.id}`],
  ]);
  const products = store.catalog.length
    ? table(store.catalog, [
        { header: 'product', value: (p) => `${p.name} (${p.id})` },
        { header: 'plans', value: (p) => p.plans.map((plan) => plan.name) },
        { header: 'buy link', value: (p) => `${apiUrl}/v1/stores/${store.id}/buy/${p.id}` },
      ])
    : 'No published product in this store yet.';
  return `${head}\n\n${products}`;
}

export const ORDER_COLUMNS: Column<OrderT & { productName?: string }>[] = [
  { header: 'id', value: (o) => o.id },
  { header: 'product', value: (o) => `${o.productName ?? o.product} v${o.productVersion}` },
  { header: 'plan', value: (o) => o.plan.name },
  { header: 'state', value: (o) => o.state },
  { header: 'customer', value: (o) => o.customer },
  { header: 'run', value: (o) => o.run },
  { header: 'created', value: (o) => minute(o.createdAt) },
  { header: 'ends', value: (o) => minute(o.endsAt) },
];

/** A step as one line: "2026-12-01 03:50:12  Provisioning  attempt 1 of 3: launching run run_…". */
export const stepLine = (step: OrderStepT) => `${step.at.slice(0, 19).replace('T', ' ')}  ${step.state.padEnd(12)}  ${step.message}`;

/** One address of a run's instance: its IP and, when the instance reported one, its hostname. */
export interface Address {
  instance: string;
  state: string;
  ip?: string;
  hostname?: string;
}

/** An order: its fields, its steps one per line, then the addresses of its run (when the caller may read the run). */
export function showOrder(order: OrderT, options: { productName?: string; addresses?: Address[]; runNote?: string } = {}): string {
  const head = fields([
    ['order', order.id],
    ['state', order.state],
    ...(order.failureReason ? [['reason', order.failureReason] as const] : []),
    ['product', `${options.productName ?? order.product} v${order.productVersion}${options.productName ? ` (${order.product})` : ''}`],
    ['plan', planPhrase(order.plan)],
    ['customer', order.customer],
    ['vendor', order.vendor],
    ['run', order.run],
    ...(order.runs && order.runs.length > 1 ? [['runs', order.runs] as const] : []),
    ['attempts', order.attempts],
    ['starts', order.startsAt],
    ['ends', order.endsAt ?? (order.startsAt ? 'until cancelled' : undefined)],
    ...(order.endedAt ? [['ended', order.endedAt] as const] : []),
  ]);
  const steps = order.steps.map(stepLine).join('\n');
  const parts = [head, '', 'Steps:', steps];
  if (options.addresses?.length) {
    parts.push(
      '',
      'Addresses:',
      table(options.addresses, [
        { header: 'instance', value: (a) => a.instance },
        { header: 'state', value: (a) => a.state },
        { header: 'ip', value: (a) => a.ip },
        { header: 'hostname', value: (a) => a.hostname },
      ]),
    );
  } else if (options.runNote) parts.push('', options.runNote);
  return parts.join('\n');
}

export const INVOICE_COLUMNS: Column<InvoiceT>[] = [
  { header: 'id', value: (i) => i.id },
  { header: 'month', value: (i) => i.month },
  { header: 'state', value: (i) => i.state },
  { header: 'customer', value: (i) => i.customer },
  { header: 'lines', value: (i) => i.lines.length },
  { header: 'total', value: (i) => formatTotals(i.totals) },
  { header: 'issued', value: (i) => day(i.issuedAt) },
];

const LINE_COLUMNS: Column<InvoiceLineT & { productName?: string }>[] = [
  { header: 'order', value: (l) => l.order },
  { header: 'product', value: (l) => l.productName ?? l.product },
  { header: 'plan', value: (l) => l.plan },
  { header: 'month', value: (l) => l.month },
  { header: 'kind', value: (l) => l.kind },
  { header: 'description', value: (l) => l.description },
  {
    header: 'quantity',
    value: (l) => (l.kind === 'vm-hours' ? `${l.quantity} VM-s` : l.kind === 'fee' ? `${l.quantity} day${l.quantity === 1 ? '' : 's'}` : l.quantity),
  },
  { header: 'amount', value: (l) => formatMoney(l.amount) },
];

/** An invoice: its fields, its lines, then one total per currency. */
export function showInvoice(invoice: InvoiceT, productNames: Map<string, string> = new Map()): string {
  const head = fields([
    ['invoice', invoice.id],
    ['customer', invoice.customer],
    ['month', invoice.month],
    ['state', invoice.state],
    ['covers', `${invoice.coveredFrom} → ${invoice.coveredUntil}`],
    ['issued', invoice.issuedAt],
    ...(invoice.paidAt ? [['paid', invoice.paidAt] as const] : []),
    ...(invoice.voidedAt ? [['voided', invoice.voidedAt] as const] : []),
  ]);
  const lines = invoice.lines.length
    ? table(
        invoice.lines.map((l) => ({ ...l, productName: productNames.get(l.product) })),
        LINE_COLUMNS,
      )
    : 'No lines.';
  const totals = invoice.totals.length ? invoice.totals.map((t) => `Total ${t.currency}: ${formatAmount(t.amount, t.currency)}`).join('\n') : 'Total: 0';
  return `${head}\n\n${lines}\n\n${totals}`;
}

/** A vendor's month: revenue per product and plan, then per currency the revenue, the platform fee and the net. */
export function showReport(report: VendorReportT, productNames: Map<string, string> = new Map()): string {
  const head = fields([
    ['vendor', report.vendor],
    ['month', report.month],
    ['covers', `${report.coveredFrom} → ${report.coveredUntil}`],
    ['platform fee', percent(report.feeBasisPoints)],
  ]);
  const lines = report.lines.length
    ? table(report.lines, [
        { header: 'product', value: (l) => productNames.get(l.product) ?? l.product },
        { header: 'plan', value: (l) => l.plan },
        { header: 'orders', value: (l) => l.orders },
        { header: 'revenue', value: (l) => formatMoney(l.revenue) },
      ])
    : 'No sales this month.';
  const totals = report.totals.length
    ? table(report.totals, [
        { header: 'currency', value: (t) => t.currency },
        { header: 'revenue', value: (t) => formatAmount(t.revenue, t.currency) },
        { header: 'fee', value: (t) => formatAmount(t.fee, t.currency) },
        { header: 'net', value: (t) => formatAmount(t.net, t.currency) },
      ])
    : '';
  return [head, '', lines, ...(totals ? ['', totals] : [])].join('\n');
}
