/**
 * A vendor's pages: their products (state, versions, publish and retire; an admin sees
 * every vendor's) and their monthly report (revenue per product and plan, the platform
 * fee and the net, per currency), month by month.
 */
import { useState } from 'preact/hooks';
import { get, getAll, request, seg } from './api';
import { StateBadge, time } from './format';
import { formatAmount, formatMoney, percent } from './money';
import { ProblemView } from './problem-view';
import { ProjectLink } from './project-link';
import { Link, navigate, useLocation } from './router';
import type { Role } from './session';
import { currentMonth, planPhrase, useProductNames } from './store-format';
import type { Product, ProductView, User, VendorReport } from './types';
import { useAction } from './use-action';
import { useLoad } from './use-load';

/** Every version of a product, newest first, with its state then (loaded when opened). */
function ProductVersions({ product }: { product: ProductView }) {
  const versions = useLoad(
    () => Promise.all(Array.from({ length: product.version }, (_, i) => get<ProductView>(`/products/${seg(product.id)}`, { version: product.version - i }))),
    [product.id, product.version],
  );
  if (versions.problem) return <ProblemView problem={versions.problem} />;
  return (
    <ol class="versions" aria-label={`Versions of ${product.name}, newest first`}>
      {(versions.data ?? []).map((v) => (
        <li key={v.version}>
          Version {v.version} <StateBadge state={v.state} /> <span class="muted">{time(v.updatedAt)}</span>
          <div class="muted">{v.plans.map(planPhrase).join(' · ')}</div>
        </li>
      ))}
    </ol>
  );
}

function ProductRow({ product, onChanged }: { product: ProductView; onChanged: () => void }) {
  const { busy, problem, run: act } = useAction();
  const [open, setOpen] = useState(false);
  const move = (verb: 'publish' | 'retire') =>
    act(async () => {
      await request<Product>('POST', `/products/${seg(product.id)}/${verb}`);
      onChanged();
    });
  return (
    <tr>
      <th scope="row">
        {product.name}
        <div class="muted">{product.id}</div>
      </th>
      <td>
        <ProjectLink project={product.project} />
      </td>
      <td>
        <StateBadge state={product.state} />
      </td>
      <td>
        <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)} aria-label={`Versions of ${product.name}`}>
          v{product.version}
        </button>
        {open ? <ProductVersions product={product} /> : null}
      </td>
      <td>
        {product.plans.map((plan) => (
          <div key={plan.name}>
            {plan.name}: {formatMoney(plan.monthlyFee)}/month
          </div>
        ))}
      </td>
      <td>{product.connector}</td>
      <td>{time(product.updatedAt)}</td>
      <td>
        {product.state === 'draft' ? (
          <button type="button" onClick={() => move('publish')} disabled={busy} aria-label={`Publish ${product.name}`}>
            Publish
          </button>
        ) : null}
        {product.state === 'published' ? (
          <button type="button" class="danger" onClick={() => move('retire')} disabled={busy} aria-label={`Retire ${product.name}`}>
            Retire
          </button>
        ) : null}
        {problem ? <ProblemView problem={problem} heading={`${product.name} was not changed`} /> : null}
      </td>
    </tr>
  );
}

export function VendorProducts({ role }: { role: Role }) {
  const products = useLoad(() => getAll<ProductView>('/products'), []);
  const items = products.data ?? [];
  return (
    <main>
      <h1>{role === 'admin' ? 'Products' : 'My products'}</h1>
      <p class="scope">
        {role === 'admin' ? 'Every vendor’s products (admin).' : 'Your products in every state.'} Create and change them with{' '}
        <code>slipway products create -f product.yaml</code>; drafts join the <Link href="/catalog">catalog</Link> once published.
      </p>
      {products.problem ? <ProblemView problem={products.problem} /> : null}
      {items.length ? (
        <table aria-label="Products">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Project</th>
              <th scope="col">State</th>
              <th scope="col">Version</th>
              <th scope="col">Plans</th>
              <th scope="col">Connector</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((product) => (
              <ProductRow key={product.id} product={product} onChanged={products.reload} />
            ))}
          </tbody>
        </table>
      ) : products.data ? (
        <p class="empty">No product yet.</p>
      ) : null}
    </main>
  );
}

function ReportView({ report }: { report: VendorReport }) {
  const names = useProductNames(report.lines.map((l) => l.product));
  return (
    <>
      <p class="hint">
        Covers {time(report.coveredFrom)} → {time(report.coveredUntil)}; platform fee {percent(report.feeBasisPoints)}.
      </p>
      {report.lines.length ? (
        <table aria-label="Revenue per product and plan">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Plan</th>
              <th scope="col">Orders</th>
              <th scope="col">Revenue</th>
            </tr>
          </thead>
          <tbody>
            {report.lines.map((line) => (
              <tr key={`${line.product}-${line.plan}-${line.revenue.currency}`}>
                <th scope="row">{names.get(line.product) ?? line.product}</th>
                <td>{line.plan}</td>
                <td class="number">{line.orders}</td>
                <td class="number">{formatMoney(line.revenue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="empty">No sales this month.</p>
      )}
      {report.totals.length ? (
        <table aria-label="Totals per currency">
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col">Revenue</th>
              <th scope="col">Platform fee</th>
              <th scope="col">Net</th>
            </tr>
          </thead>
          <tbody>
            {report.totals.map((total) => (
              <tr key={total.currency}>
                <th scope="row">{total.currency}</th>
                <td class="number">{formatAmount(total.revenue, total.currency)}</td>
                <td class="number">{formatAmount(total.fee, total.currency)}</td>
                <td class="number">{formatAmount(total.net, total.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

export function VendorReports({ role }: { role: Role }) {
  const { search } = useLocation();
  const month = search.get('month') ?? currentMonth();
  const vendor = search.get('vendor') ?? '';
  const admin = role === 'admin';
  const vendors = useLoad(() => (admin ? getAll<User>('/users').then((users) => users.filter((u) => u.role === 'vendor')) : Promise.resolve([])), [admin]);
  const needsVendor = admin && !vendor;
  const report = useLoad(
    () =>
      needsVendor
        ? Promise.resolve(undefined)
        : get<{ items: VendorReport[] }>('/vendor/reports', { month, ...(admin ? { vendor } : {}) }).then((page) => page.items[0] ?? null),
    [month, vendor, needsVendor],
  );
  const go = (next: { month?: string; vendor?: string }) => {
    const query = new URLSearchParams({ month: next.month ?? month, ...((next.vendor ?? vendor) ? { vendor: next.vendor ?? vendor } : {}) });
    navigate(`/vendor/reports?${query.toString()}`);
  };
  return (
    <main>
      <h1>Monthly report</h1>
      <form class="inline" onSubmit={(e) => e.preventDefault()}>
        <label for="report-month">Month (UTC)</label>{' '}
        <input id="report-month" type="month" value={month} onChange={(e) => e.currentTarget.value && go({ month: e.currentTarget.value })} />
        {admin ? (
          <>
            {' '}
            <label for="report-vendor">Vendor</label>{' '}
            <select id="report-vendor" value={vendor} onChange={(e) => go({ vendor: e.currentTarget.value })}>
              <option value="">Choose a vendor</option>
              {(vendors.data ?? []).map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
      </form>
      {report.problem ? <ProblemView problem={report.problem} /> : null}
      {report.data ? <ReportView report={report.data} /> : null}
      {report.data === null ? <p class="empty">No report for {month} yet: a month’s report is made when an admin closes the month.</p> : null}
    </main>
  );
}
