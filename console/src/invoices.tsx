/**
 * Invoices: a customer's own, one per month; an admin's every customer's, with Pay and
 * Void and the month close. One invoice: its lines (fees pro rata by active days,
 * VM-hours) and its totals per currency. Money from minor units, never floating point.
 */
import { useState } from 'preact/hooks';
import { get, getAll, request, seg } from './api';
import { StateBadge, time } from './format';
import { formatMoney, formatTotals, percent } from './money';
import { ProblemView } from './problem-view';
import { Link } from './router';
import type { Role } from './session';
import { currentMonth, useProductNames } from './store-format';
import type { Invoice, MonthClose } from './types';
import { useAction } from './use-action';
import { useLoad } from './use-load';

/** Pay and Void for an issued invoice (admins). */
function Settle({ invoice, onDone }: { invoice: Invoice; onDone: () => void }) {
  const { busy, problem, run: act } = useAction();
  if (invoice.state !== 'issued') return null;
  const settle = (to: 'pay' | 'void') =>
    act(async () => {
      await request('POST', `/invoices/${seg(invoice.id)}/${to}`);
      onDone();
    });
  return (
    <span>
      <span class="nowrap">
        <button type="button" onClick={() => settle('pay')} disabled={busy} aria-label={`Mark ${invoice.id} paid`}>
          Pay
        </button>{' '}
        <button type="button" class="secondary" onClick={() => settle('void')} disabled={busy} aria-label={`Void ${invoice.id}`}>
          Void
        </button>
      </span>
      {problem ? <ProblemView problem={problem} /> : null}
    </span>
  );
}

/** The admin's month close: an issued invoice per customer and a report per vendor (the current month: up to now). */
function CloseMonth({ onClosed }: { onClosed: () => void }) {
  const [month, setMonth] = useState(currentMonth());
  const [closed, setClosed] = useState<MonthClose>();
  const { busy, problem, run: act } = useAction();
  const close = (event: Event) => {
    event.preventDefault();
    return act(async () => {
      setClosed(undefined);
      setClosed(await request<MonthClose>('POST', '/billing/close', { query: { month } }));
      onClosed();
    });
  };
  return (
    <section aria-labelledby="close-month">
      <h2 id="close-month">Close a month</h2>
      <form onSubmit={close} class="inline">
        <label for="close-month-input">Month (UTC)</label>{' '}
        <input id="close-month-input" type="month" required value={month} onInput={(e) => setMonth(e.currentTarget.value)} />{' '}
        <button type="submit" disabled={busy || !month}>
          Close {month}
        </button>
      </form>
      <p class="hint">The current month closes up to now (later usage goes on the next invoice); a month closed already stays as it is.</p>
      {closed ? (
        <p role="status" class="notice ok">
          {closed.month} is {closed.state}: {closed.invoices ?? 0} invoice(s), {closed.vendors ?? 0} vendor report(s), total {formatTotals(closed.totals ?? [])}
          , platform fee {percent(closed.feeBasisPoints)}.
        </p>
      ) : null}
      {problem ? <ProblemView problem={problem} heading="The month was not closed" /> : null}
    </section>
  );
}

export function Invoices({ role }: { role: Role }) {
  const invoices = useLoad(() => getAll<Invoice>('/invoices'), []);
  const items = [...(invoices.data ?? [])].sort((a, b) => b.month.localeCompare(a.month) || a.customer.localeCompare(b.customer));
  const admin = role === 'admin';
  return (
    <main>
      <h1>Invoices</h1>
      <p class="scope">{admin ? 'Every customer’s invoices (admin).' : 'Your invoices, one per month, issued when the month is closed.'}</p>
      {invoices.problem ? <ProblemView problem={invoices.problem} /> : null}
      {items.length ? (
        <table aria-label="Invoices">
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col">Month</th>
              {admin ? <th scope="col">Customer</th> : null}
              <th scope="col">State</th>
              <th scope="col">Lines</th>
              <th scope="col">Total</th>
              <th scope="col">Issued</th>
              {admin ? (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {items.map((invoice) => (
              <tr key={invoice.id}>
                <th scope="row">
                  <Link href={`/invoices/${invoice.id}`}>{invoice.id}</Link>
                </th>
                <td class="nowrap">{invoice.month}</td>
                {admin ? <td>{invoice.customer}</td> : null}
                <td>
                  <StateBadge state={invoice.state} />
                </td>
                <td class="number">{invoice.lines.length}</td>
                <td class="number">{formatTotals(invoice.totals)}</td>
                <td>{time(invoice.issuedAt)}</td>
                {admin ? (
                  <td>
                    <Settle invoice={invoice} onDone={invoices.reload} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : invoices.data ? (
        <p class="empty">No invoice yet: a month’s invoices are issued when it is closed.</p>
      ) : null}
      {admin ? <CloseMonth onClosed={invoices.reload} /> : null}
    </main>
  );
}

export function InvoicePage({ id, role }: { id: string; role: Role }) {
  const invoice = useLoad(() => get<Invoice>(`/invoices/${seg(id)}`), [id]);
  const names = useProductNames((invoice.data?.lines ?? []).map((l) => l.product));
  if (!invoice.data) return <main>{invoice.problem ? <ProblemView problem={invoice.problem} /> : <p aria-busy="true">Loading…</p>}</main>;
  const i = invoice.data;
  return (
    <main>
      <div class="page-head">
        <h1>
          Invoice {i.month} <span class="muted">({i.id})</span>
        </h1>
        <p role="status" aria-label={`Invoice state: ${i.state}`}>
          State: <StateBadge state={i.state} />
        </p>
        {role === 'admin' ? <Settle invoice={i} onDone={invoice.reload} /> : null}
      </div>
      <dl class="facts">
        <div>
          <dt>Customer</dt>
          <dd>{i.customer}</dd>
        </div>
        <div class="wide">
          <dt>Covers</dt>
          <dd>
            {time(i.coveredFrom)} → {time(i.coveredUntil)}
          </dd>
        </div>
        <div>
          <dt>Issued</dt>
          <dd>{time(i.issuedAt)}</dd>
        </div>
        {i.paidAt ? (
          <div>
            <dt>Paid</dt>
            <dd>{time(i.paidAt)}</dd>
          </div>
        ) : null}
        {i.voidedAt ? (
          <div>
            <dt>Voided</dt>
            <dd>{time(i.voidedAt)}</dd>
          </div>
        ) : null}
      </dl>
      {i.lines.length ? (
        <table aria-label="Invoice lines">
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col">Product</th>
              <th scope="col">Plan</th>
              <th scope="col">Order</th>
              <th scope="col">Kind</th>
              <th scope="col">Quantity</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {i.lines.map((line, index) => (
              <tr key={`${line.order}-${line.kind}-${line.month}-${index}`}>
                <th scope="row">{line.description}</th>
                <td>{names.get(line.product) ?? line.product}</td>
                <td>{line.plan}</td>
                <td>
                  <Link href={`/orders/${line.order}`}>{line.order}</Link>
                </td>
                <td>{line.kind}</td>
                <td class="number">
                  {line.kind === 'vm-hours'
                    ? `${line.quantity} VM-s`
                    : line.kind === 'fee'
                      ? `${line.quantity} day${line.quantity === 1 ? '' : 's'}`
                      : line.quantity}
                </td>
                <td class="number">{formatMoney(line.amount)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            {i.totals.map((total) => (
              <tr key={total.currency}>
                <th scope="row" colSpan={6}>
                  Total {total.currency}
                </th>
                <td class="number" aria-label={`Total ${total.currency}`}>
                  {formatMoney(total)}
                </td>
              </tr>
            ))}
          </tfoot>
        </table>
      ) : (
        <p class="empty">No lines.</p>
      )}
    </main>
  );
}
