/**
 * The catalog: every published product with its plans (monthly fee, VM-hour price,
 * term, trial) and the estimated hourly cost of its VMs; "Order" on a plan opens the
 * order page with that plan chosen.
 */
import { getAll } from './api';
import { StateBadge } from './format';
import { formatMoney } from './money';
import { ProblemView } from './problem-view';
import { ProjectLink } from './project-link';
import { Link } from './router';
import type { Role } from './session';
import { hourlyEstimate, termText, trialText } from './store-format';
import type { ProductView } from './types';
import { useLoad } from './use-load';

export function PlansTable({ product, orderable }: { product: ProductView; orderable: boolean }) {
  return (
    <table aria-label={`Plans of ${product.name}`}>
      <thead>
        <tr>
          <th scope="col">Plan</th>
          <th scope="col">Monthly fee</th>
          <th scope="col">Per VM-hour</th>
          <th scope="col">Term</th>
          <th scope="col">Trial</th>
          {orderable ? (
            <th scope="col">
              <span class="visually-hidden">Order</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {product.plans.map((plan) => (
          <tr key={plan.name}>
            <th scope="row">{plan.name}</th>
            <td class="number">{formatMoney(plan.monthlyFee)}</td>
            <td class="number">{formatMoney(plan.vmHourPrice)}</td>
            <td>{termText(plan)}</td>
            <td>{trialText(plan)}</td>
            {orderable ? (
              <td>
                <Link
                  class="button"
                  href={`/order?${new URLSearchParams({ product: product.id, plan: plan.name }).toString()}`}
                  aria-label={`Order ${product.name} on plan ${plan.name}`}
                >
                  Order
                </Link>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ProductCard({ product }: { product: ProductView }) {
  const estimate = hourlyEstimate(product);
  return (
    <section class="product" aria-labelledby={`product-${product.id}`}>
      <div class="page-head">
        <h2 id={`product-${product.id}`}>{product.name}</h2>
        <StateBadge state={product.state} />
      </div>
      {product.description ? <p>{product.description}</p> : null}
      <dl class="facts">
        <div>
          <dt>Runs on</dt>
          <dd>{product.connector}</dd>
        </div>
        <div>
          <dt>Estimated cost of its VMs</dt>
          <dd aria-label={`Estimated hourly cost of ${product.name}`}>{estimate ?? 'no estimate (no price list)'}</dd>
        </div>
        <div>
          <dt>Project</dt>
          <dd>
            <ProjectLink project={product.project} />
          </dd>
        </div>
        <div>
          <dt>Vendor</dt>
          <dd>{product.owner}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{product.version}</dd>
        </div>
      </dl>
      <PlansTable product={product} orderable={product.state === 'published'} />
    </section>
  );
}

export function Catalog({ role }: { role: Role }) {
  const products = useLoad(() => getAll<ProductView>('/products'), []);
  // A vendor's and an admin's list hold drafts and retired products too: the catalog is what can be ordered.
  const published = (products.data ?? []).filter((p) => p.state === 'published');
  return (
    <main>
      <h1>Catalog</h1>
      <p class="scope">
        {role === 'vendor'
          ? 'Your published products, as customers see them (manage them under Products).'
          : 'Published products: choose a plan and order; the product’s VMs are provisioned for you, step by step.'}
      </p>
      {products.problem ? <ProblemView problem={products.problem} /> : null}
      {published.map((product) => (
        <ProductCard key={product.id} product={product} />
      ))}
      {products.data && !published.length ? <p class="empty">No product in the catalog yet.</p> : null}
    </main>
  );
}
