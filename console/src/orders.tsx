/** Orders: a customer's own (an admin: every order); a vendor also sees the orders of their products (`?as=vendor`). */
import { getAll } from './api';
import { StateBadge, time } from './format';
import { ProblemView } from './problem-view';
import { Link, useLocation } from './router';
import type { Role } from './session';
import { useProductNames } from './store-format';
import type { Order } from './types';
import { useLoad } from './use-load';

export function Orders({ role }: { role: Role }) {
  const { search } = useLocation();
  const asVendor = search.get('as') === 'vendor' && role !== 'user';
  const orders = useLoad(() => getAll<Order>('/orders', asVendor ? { as: 'vendor' } : {}), [asVendor]);
  const names = useProductNames((orders.data ?? []).map((o) => o.product));
  const items = orders.data ?? [];
  return (
    <main>
      <h1>Orders</h1>
      {role === 'user' ? null : (
        <nav aria-label="Whose orders" class="tabs">
          <Link href="/orders" aria-current={asVendor ? undefined : 'page'}>
            {role === 'admin' ? 'Every order' : 'My orders'}
          </Link>
          <Link href="/orders?as=vendor" aria-current={asVendor ? 'page' : undefined}>
            Orders of my products
          </Link>
        </nav>
      )}
      {orders.problem ? <ProblemView problem={orders.problem} /> : null}
      {items.length ? (
        <table aria-label={asVendor ? 'Orders of my products' : 'Orders'}>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Product</th>
              <th scope="col">Plan</th>
              <th scope="col">State</th>
              {asVendor || role === 'admin' ? <th scope="col">Customer</th> : null}
              <th scope="col">Ordered</th>
              <th scope="col">Ends</th>
            </tr>
          </thead>
          <tbody>
            {items.map((order) => (
              <tr key={order.id}>
                <th scope="row">
                  <Link href={`/orders/${order.id}`}>{order.id}</Link>
                </th>
                <td>
                  {names.get(order.product) ?? order.product} v{order.productVersion}
                </td>
                <td>{order.plan.name}</td>
                <td>
                  <StateBadge state={order.state} />
                </td>
                {asVendor || role === 'admin' ? <td>{order.customer}</td> : null}
                <td>{time(order.createdAt)}</td>
                <td>{order.endsAt ? time(order.endsAt) : order.state === 'Active' ? 'when cancelled' : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : orders.data ? (
        <p class="empty">
          {asVendor ? (
            'No order of your products yet.'
          ) : (
            <>
              No order yet: choose a product in the <Link href="/catalog">catalog</Link>.
            </>
          )}
        </p>
      ) : null}
    </main>
  );
}
