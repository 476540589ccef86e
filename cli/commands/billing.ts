/**
 * Billing: `invoices` (yours; admins everyone's, and pay or void them), `billing`
 * (admins: close a month, the platform fee) and `reports` (a vendor's monthly revenue,
 * fee and net). Money is printed from minor units with its currency ("19.00 EUR").
 */
import type { Command } from 'commander';
import type { BillingSettingsT, InvoiceT, MonthCloseT, VendorReportT } from '../api-types';
import { seg } from '../client';
import { contextOf } from '../context';
import { UsageError } from '../exit-codes';
import { formatAmount, formatTotals, parsePercent, percent } from '../money';
import { fields, table } from '../render';
import { INVOICE_COLUMNS, showInvoice, showReport } from '../store-text';
import { productNames } from './orders';
import { resolveUser } from './users';

/** A UTC month as the API takes it. @throws UsageError otherwise */
function month(text: string | undefined, flag = '--month'): string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(text)) throw new UsageError(`${flag} ${text}: a month as YYYY-MM (UTC), e.g. ${new Date().toISOString().slice(0, 7)}`);
  return text;
}

function closeText(close: MonthCloseT, again: boolean): string {
  const head = again ? `${close.month} was closed already${close.closedAt ? ` (at ${close.closedAt})` : ''}: nothing changed.` : `Closed ${close.month}.`;
  return `${head}\n${fields([
    ['state', close.state],
    ['covers', `${close.coveredFrom} → ${close.coveredUntil}`],
    ['platform fee', percent(close.feeBasisPoints)],
    ['invoices', close.invoices],
    ['vendor reports', close.vendors],
    ['totals', close.totals ? formatTotals(close.totals) : undefined],
  ])}`;
}

export function registerBilling(program: Command): void {
  const invoices = program.command('invoices').description('Invoices: yours, one per month (admins: everyone’s; pay or void them)');
  invoices
    .command('list', { isDefault: true })
    .description('your invoices (an admin: every customer’s)')
    .option('--month <YYYY-MM>', "only this month's")
    .option('--customer <user>', "admin: one customer's (id or name)")
    .action(async (options: { month?: string; customer?: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const customer = options.customer && (await resolveUser(client, options.customer));
      const items = await client.listAll<InvoiceT>('/invoices', { month: month(options.month), customer });
      ctx.out.list(items, INVOICE_COLUMNS, 'No invoices (a month gets its invoices when it is closed).');
    });
  invoices
    .command('show')
    .description('an invoice: its lines (fees pro rata by active days, VM-hours) and its totals per currency')
    .argument('<id>', 'invoice id')
    .action(async (id: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const invoice = await client.get<InvoiceT>(`/invoices/${seg(id)}`);
      const names =
        ctx.out.format === 'table'
          ? await productNames(
              client,
              invoice.lines.map((l) => l.product),
            )
          : new Map<string, string>();
      ctx.out.result(invoice, (i) => showInvoice(i, names));
    });
  for (const [verb, path, done] of [
    ['pay', 'pay', 'paid'],
    ['void', 'void', 'void'],
  ] as const) {
    invoices
      .command(verb)
      .description(verb === 'pay' ? 'admin: mark an issued invoice paid' : 'admin: void an issued invoice (it is kept, with state void)')
      .argument('<id>', 'invoice id')
      .action(async (id: string, _options, command: Command) => {
        const ctx = contextOf(command);
        const invoice = await ctx.client().post<InvoiceT>(`/invoices/${seg(id)}/${path}`);
        ctx.out.result(invoice, (i) => `Invoice ${i.id} (${i.month}, ${formatTotals(i.totals)}) is ${i.state === done ? done : i.state}.`);
      });
  }

  const billing = program.command('billing').description('admin: close a month (invoices and vendor reports), the platform fee');
  billing
    .command('close')
    .description('close a month: an issued invoice per customer and a report per vendor (the current month: up to now); closing again changes nothing')
    .requiredOption('--month <YYYY-MM>', 'the month (UTC)')
    .action(async (options: { month: string }, command: Command) => {
      const ctx = contextOf(command);
      const reply = await ctx.client().send<MonthCloseT>('POST', '/billing/close', { query: { month: month(options.month) } });
      ctx.out.result(reply.body, (c) => closeText(c, reply.status === 200));
    });
  billing
    .command('fee')
    .description('the platform fee: a percentage of each vendor’s monthly revenue (with a value: set it, for the months closed from then on)')
    .argument('[percent]', 'the new fee, e.g. 12.5%')
    .action(async (value: string | undefined, _options, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      if (value === undefined) {
        const settings = await client.get<BillingSettingsT>('/billing/settings');
        return ctx.out.result(settings, (s) => `Platform fee: ${percent(s.feeBasisPoints)} (version ${s.version}).`);
      }
      const feeBasisPoints = parsePercent(value);
      if (feeBasisPoints === undefined) throw new UsageError(`${value}: a percentage from 0 to 100 with at most two decimals, e.g. 12.5%`);
      const settings = await client.put<BillingSettingsT>('/billing/settings', { feeBasisPoints });
      ctx.out.result(settings, (s) => `Platform fee set to ${percent(s.feeBasisPoints)}: it applies to the months closed from now on.`);
    });

  program
    .command('reports')
    .description('vendor: your monthly reports: revenue per product and plan, the platform fee and your net, per currency')
    .option('--month <YYYY-MM>', "one month's report (default: every month closed so far)")
    .option('--vendor <user>', 'admin: the vendor whose reports to read (id or name)')
    .action(async (options: { month?: string; vendor?: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const vendor = options.vendor && (await resolveUser(client, options.vendor));
      const chosen = month(options.month);
      const reports = await client.listAll<VendorReportT>('/vendor/reports', { month: chosen, vendor });
      if (ctx.out.format === 'json') return ctx.out.line(JSON.stringify(reports, null, 2));
      if (!reports.length) {
        return ctx.out.line(
          chosen
            ? `No report for ${chosen} yet: the month is not closed (an admin closes it: slipway billing close --month ${chosen}).`
            : 'No reports yet: no month was closed.',
        );
      }
      if (chosen) {
        const names = await productNames(
          client,
          reports[0]!.lines.map((l) => l.product),
        );
        return ctx.out.line(showReport(reports[0]!, names));
      }
      const rows = reports.flatMap((r) => (r.totals.length ? r.totals : [undefined]).map((total) => ({ report: r, total })));
      ctx.out.line(
        table(rows, [
          { header: 'month', value: (r) => r.report.month },
          { header: 'lines', value: (r) => r.report.lines.length },
          { header: 'fee', value: (r) => percent(r.report.feeBasisPoints) },
          { header: 'currency', value: (r) => r.total?.currency },
          { header: 'revenue', value: (r) => r.total && formatAmount(r.total.revenue, r.total.currency) },
          { header: 'fee amount', value: (r) => r.total && formatAmount(r.total.fee, r.total.currency) },
          { header: 'net', value: (r) => r.total && formatAmount(r.total.net, r.total.currency) },
        ]),
      );
    });
}
