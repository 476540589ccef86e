/**
 * Routes of billing: customers' invoices (`/v1/invoices`), the month close and the
 * platform fee (`/v1/billing`, admins), and vendors' monthly reports (`/v1/vendor/reports`).
 * A customer sees only their own invoices (another's is 404); a vendor only their own
 * reports; admins everything.
 */
import { closeMonth } from '#functions/billing/close-month';
import { emptyReport } from '#functions/domain/billing';
import { ForbiddenError, NotFoundError, ValidationError } from '#functions/domain/errors';
import { answer, route, type RouteSpec } from '#functions/http/kit/route';
import {
  BillingSettings,
  BillingSettingsBody,
  CloseMonthQuery,
  InvoiceListQuery,
  InvoiceParams,
  MonthClose,
  VendorReportPage,
  VendorReportQuery,
} from '#functions/schemas/billing';
import { Invoice, InvoicePage } from '#functions/schemas/store-catalog';
import {
  getBillingSettings,
  getMonthClose,
  getVendorReport,
  listVendorReports,
  putBillingSettings,
  type MonthClose as MonthCloseDoc,
} from '#functions/store/billing';
import { getInvoice, listInvoices, settleInvoice } from '#functions/store/invoices';
import type { Caller } from '#functions/http/kit/auth';
import { userOf } from '#functions/http/kit/auth';
import type { AppDeps } from '#functions/commons/deps';

/** A close as the API shows it (the marker's own fields, nothing else). */
const closeResponse = (close: MonthCloseDoc) => ({
  month: close.month,
  state: close.state,
  coveredFrom: close.coveredFrom,
  coveredUntil: close.coveredUntil,
  feeBasisPoints: close.feeBasisPoints,
  startedAt: close.startedAt,
  ...(close.closedAt ? { closedAt: close.closedAt } : {}),
  ...(close.invoices === undefined ? {} : { invoices: close.invoices }),
  ...(close.vendors === undefined ? {} : { vendors: close.vendors }),
  ...(close.totals ? { totals: close.totals } : {}),
});

/** The invoice `id` if the caller may see it (its customer, or an admin). @throws NotFoundError otherwise */
async function visibleInvoice(deps: AppDeps, caller: Caller, id: string) {
  const { userId, isAdmin } = userOf(caller);
  const invoice = await getInvoice(deps.table, id);
  if (!invoice || (!isAdmin && invoice.customer !== userId)) throw new NotFoundError('invoice not found');
  return invoice;
}

/** Marks an invoice paid or void (admins); repeating it changes nothing. */
const settle = (to: 'paid' | 'void') =>
  route({
    key: to === 'paid' ? 'POST /v1/invoices/{id}/pay' : 'POST /v1/invoices/{id}/void',
    operationId: to === 'paid' ? 'payInvoice' : 'voidInvoice',
    summary:
      to === 'paid'
        ? 'Mark an issued invoice paid (admin); an invoice already paid stays as it is, a void one cannot be paid (409)'
        : 'Void an issued invoice (admin): it is kept, with state void; an invoice already void stays as it is, a paid one cannot be voided (409)',
    access: 'admin',
    params: InvoiceParams,
    response: Invoice,
    status: 200,
    handle: async ({ params }, deps) => {
      const settled = await settleInvoice(deps.table, params.id, to, deps.now());
      if (!settled) throw new NotFoundError('invoice not found');
      return settled.invoice;
    },
  });

/** Whose reports the caller reads: a vendor their own, an admin the vendor they name. */
function reportVendor(caller: Caller, requested: string | undefined): string {
  const { userId, isAdmin } = userOf(caller);
  if (isAdmin) {
    if (requested === undefined)
      throw new ValidationError('1 invalid field(s)', [{ path: 'query.vendor', message: 'required for an admin: the vendor whose reports to read' }]);
    return requested;
  }
  if (requested !== undefined && requested !== userId) throw new ForbiddenError("Only an admin may read another vendor's reports");
  return userId;
}

export const billingRoutes: RouteSpec[] = [
  route({
    key: 'GET /v1/invoices',
    operationId: 'listInvoices',
    summary: 'Your invoices, by month (an admin sees every customer’s, or one with ?customer=)',
    access: 'user',
    query: InvoiceListQuery,
    response: InvoicePage,
    handle: ({ caller, query }, deps) => {
      const { customer, month, ...page } = query;
      const { userId, isAdmin } = userOf(caller);
      if (!isAdmin && customer !== undefined && customer !== userId) throw new ForbiddenError("Only an admin may read another customer's invoices");
      return listInvoices(deps.table, { customer: isAdmin ? customer : userId, month }, page);
    },
  }),
  route({
    key: 'GET /v1/invoices/{id}',
    operationId: 'getInvoice',
    summary: 'One of your invoices (admins: anyone’s)',
    access: 'user',
    params: InvoiceParams,
    response: Invoice,
    handle: ({ caller, params }, deps) => visibleInvoice(deps, caller, params.id),
  }),
  settle('paid'),
  settle('void'),
  route({
    key: 'POST /v1/billing/close',
    operationId: 'closeMonth',
    summary:
      'Close a month (admin): an issued invoice per customer and a report per vendor. The current month closes up to now (later usage goes on the next invoice); a month closed already answers 200 and changes nothing',
    access: 'admin',
    query: CloseMonthQuery,
    response: MonthClose,
    alsoSucceedsWith: [200],
    handle: async ({ query }, deps) => {
      const { close, alreadyClosed } = await closeMonth(deps, query.month, deps.now());
      return alreadyClosed ? answer(200, closeResponse(close)) : closeResponse(close);
    },
  }),
  route({
    key: 'GET /v1/billing/settings',
    operationId: 'getBillingSettings',
    summary: 'The platform fee (admin): basis points of each vendor’s monthly revenue',
    access: 'admin',
    response: BillingSettings,
    handle: (_, deps) => getBillingSettings(deps.table),
  }),
  route({
    key: 'PUT /v1/billing/settings',
    operationId: 'setBillingSettings',
    summary: 'Set the platform fee (admin); it applies to the months closed from then on',
    access: 'admin',
    body: BillingSettingsBody,
    response: BillingSettings,
    errors: [409],
    handle: ({ body }, deps) => putBillingSettings(deps.table, body.feeBasisPoints, body.version, deps.now()),
  }),
  route({
    key: 'GET /v1/vendor/reports',
    operationId: 'listVendorReports',
    summary:
      'Your monthly reports as a vendor: revenue per product and plan, the platform fee and your net, per currency (?month= for one month; admins name the ?vendor=)',
    access: 'vendor',
    query: VendorReportQuery,
    response: VendorReportPage,
    handle: async ({ caller, query }, deps) => {
      const { vendor: requested, month, ...page } = query;
      const vendor = reportVendor(caller, requested);
      if (month === undefined) return listVendorReports(deps.table, vendor, page);
      const report = await getVendorReport(deps.table, vendor, month);
      if (report) return { items: [report], nextCursor: null };
      const close = await getMonthClose(deps.table, month);
      // A closed month without sales: an empty report; a month not closed has none yet.
      return { items: close?.state === 'closed' ? [emptyReport(vendor, month, close.feeBasisPoints, close)] : [], nextCursor: null };
    },
  }),
];
