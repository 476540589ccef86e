/**
 * Ordering: `/order?product=…[&plan=…][&store=…]` (where a store's "Buy this" link
 * leads) chooses a plan and places the order; `/orders/<id>` shows the order's steps
 * one by one, live every 1.5 s until it is Active or over, then the run's addresses,
 * with Cancel and Renew.
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiProblem, get, request, seg } from './api';
import { StateBadge, StepTimeline, time } from './format';
import { formatMoney } from './money';
import { ProblemView } from './problem-view';
import { Link, navigate, useLocation } from './router';
import { ENDED_ORDER_STATES, hourlyEstimate, ORDER_POLL_MS, planPhrase, SETTLED_ORDER_STATES, termText, trialText } from './store-format';
import type { Order, ProductView, Run, StoreView } from './types';
import { useAction } from './use-action';
import { useLoad } from './use-load';

/** Choose a plan of a product and order it. */
export function OrderNew() {
  const { search } = useLocation();
  const productId = search.get('product') ?? '';
  const storeId = search.get('store') ?? undefined;
  const product = useLoad(() => get<ProductView>(`/products/${seg(productId)}`), [productId]);
  const store = useLoad(() => (storeId ? get<StoreView>(`/stores/${seg(storeId)}`) : Promise.resolve(undefined)), [storeId]);
  const [chosen, setChosen] = useState(search.get('plan') ?? '');
  const { busy, problem, run: act } = useAction();
  // One key per order page: a second click (or a retried request) gets the order the first one placed.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), [productId]);

  if (!productId) {
    return (
      <main>
        <h1>Order</h1>
        <p>
          Choose a product in the <Link href="/catalog">catalog</Link>.
        </p>
      </main>
    );
  }
  if (!product.data) {
    return (
      <main>
        <h1>Order</h1>
        {product.problem ? <ProblemView problem={product.problem} heading="This product cannot be ordered" /> : <p aria-busy="true">Loading…</p>}
      </main>
    );
  }
  const p = product.data;
  const plan = p.plans.find((candidate) => candidate.name === chosen) ?? (p.plans.length === 1 ? p.plans[0] : undefined);
  const estimate = hourlyEstimate(p);

  const place = (event: Event) => {
    event.preventDefault();
    if (!plan) return;
    return act(async () => {
      const order = await request<Order>('POST', '/orders', {
        body: { product: p.id, plan: plan.name },
        headers: { 'idempotency-key': `${idempotencyKey}-${plan.name}` },
      });
      navigate(`/orders/${order.id}`);
    });
  };

  return (
    <main>
      <h1>Order {p.name}</h1>
      {store.data ? <p class="scope">From the store {store.data.name}.</p> : null}
      {p.description ? <p>{p.description}</p> : null}
      <p class="hint">
        Its VMs run on {p.connector}
        {estimate ? `, at an estimated ${estimate} of cloud cost` : ''}. The plan’s fee is charged pro rata by active days, and each VM-hour at the plan’s
        price.
      </p>
      {p.state !== 'published' ? (
        <p class="problem" role="alert">
          This product is {p.state}: it cannot be ordered.
        </p>
      ) : null}
      <form onSubmit={place} class="stack">
        <fieldset>
          <legend>Plan</legend>
          {p.plans.map((candidate) => (
            <label key={candidate.name} class="choice">
              <input type="radio" name="plan" value={candidate.name} checked={plan?.name === candidate.name} onChange={() => setChosen(candidate.name)} />{' '}
              <strong>{candidate.name}</strong> — {formatMoney(candidate.monthlyFee)}/month + {formatMoney(candidate.vmHourPrice)}/VM-hour · term{' '}
              {termText(candidate)} · trial {trialText(candidate)}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" disabled={busy || !plan || p.state !== 'published'}>
            {plan ? `Order ${plan.name}` : 'Choose a plan'}
          </button>
        </div>
      </form>
      {problem ? <ProblemView problem={problem} heading="The order was refused" /> : null}
    </main>
  );
}

function Cancel({ order, onDone }: { order: Order; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, problem, run: act } = useAction();
  const cancel = () =>
    act(async () => {
      await request('POST', `/orders/${seg(order.id)}/cancel`);
      setConfirming(false);
      onDone();
    });
  return (
    <span>
      {confirming ? (
        <span role="group" aria-label="Confirm cancelling the order">
          <span>End this order now and terminate its VMs?</span>{' '}
          <button type="button" class="danger" onClick={cancel} disabled={busy}>
            Yes, cancel the order
          </button>{' '}
          <button type="button" class="secondary" onClick={() => setConfirming(false)} disabled={busy}>
            Keep it
          </button>
        </span>
      ) : (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Cancel order
        </button>
      )}
      {problem ? <ProblemView problem={problem} heading="Cancel was refused" /> : null}
    </span>
  );
}

function Renew({ order, onDone }: { order: Order; onDone: () => void }) {
  const { busy, problem, run: act } = useAction();
  const renew = () =>
    act(async () => {
      await request('POST', `/orders/${seg(order.id)}/renew`);
      onDone();
    });
  return (
    <span>
      <button type="button" class="secondary" onClick={renew} disabled={busy}>
        Renew for {order.plan.termDays} days
      </button>
      {problem ? <ProblemView problem={problem} heading="Renew was refused" /> : null}
    </span>
  );
}

function Addresses({ run }: { run: Run }) {
  const instances = run.instances ?? [];
  if (!instances.length) return <p class="empty">The run has no instance.</p>;
  return (
    <table aria-label="Addresses of the order’s VMs">
      <thead>
        <tr>
          <th scope="col">Instance</th>
          <th scope="col">State</th>
          <th scope="col">Address</th>
          <th scope="col">Hostname</th>
        </tr>
      </thead>
      <tbody>
        {instances.map((instance) => (
          <tr key={instance.name}>
            <th scope="row">{instance.name}</th>
            <td>
              <StateBadge state={instance.state} />
            </td>
            <td>
              <code>{instance.ip ?? '—'}</code>
            </td>
            <td>
              <code>{instance.parameters.hostname ?? '—'}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One order, live until it is Active or over. */
export function OrderPage({ id }: { id: string }) {
  const live = useLoad(
    async () => {
      const order = await get<Order>(`/orders/${seg(id)}`);
      // The run is the customer's: its vendor gets 404 (and sees no addresses).
      const run = order.run
        ? await get<Run>(`/runs/${seg(order.run)}`).catch((error: unknown) => (error instanceof ApiProblem ? error : undefined))
        : undefined;
      return { order, run };
    },
    [id],
    { everyMs: ORDER_POLL_MS, until: ({ order }) => SETTLED_ORDER_STATES.includes(order.state) },
  );
  const order = live.data?.order;
  const product = useLoad(() => (order ? get<ProductView>(`/products/${seg(order.product)}`) : Promise.resolve(undefined)), [order?.product]);

  if (!order) {
    return (
      <main>
        <h1>Order {id}</h1>
        {live.problem ? <ProblemView problem={live.problem} /> : <p aria-busy="true">Loading…</p>}
      </main>
    );
  }
  const runOrProblem = live.data?.run;
  const run = runOrProblem instanceof ApiProblem ? undefined : runOrProblem;
  const theirs = runOrProblem instanceof ApiProblem && runOrProblem.status === 404;
  const runProblem = runOrProblem instanceof ApiProblem && !theirs ? runOrProblem : undefined;
  const settled = SETTLED_ORDER_STATES.includes(order.state);
  const ended = ENDED_ORDER_STATES.includes(order.state);
  return (
    <main>
      <div class="page-head">
        <h1>Order {order.id}</h1>
        <p class="run-state" role="status" aria-label={`Order state: ${order.state}`}>
          State: <StateBadge state={order.state} />
          {settled ? null : <span class="muted"> · live, every {ORDER_POLL_MS / 1000} s</span>}
        </p>
        {!ended && !theirs ? (
          <span class="actions">
            {order.state === 'Active' && order.plan.termDays ? <Renew order={order} onDone={live.reload} /> : null}{' '}
            <Cancel order={order} onDone={live.reload} />
          </span>
        ) : null}
      </div>
      {live.problem ? <ProblemView problem={live.problem} heading="The last refresh failed" /> : null}
      {order.failureReason ? (
        <p class="problem" role="alert">
          <strong>Failed:</strong> {order.failureReason}
        </p>
      ) : null}
      <dl class="facts">
        <div>
          <dt>Product</dt>
          <dd>
            {product.data?.name ?? order.product} v{order.productVersion}
          </dd>
        </div>
        <div class="wide">
          <dt>Plan</dt>
          <dd>{planPhrase(order.plan)}</dd>
        </div>
        <div>
          <dt>Run</dt>
          <dd>{order.run ? run ? <Link href={`/runs/${order.run}`}>{order.run}</Link> : order.run : 'not yet'}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{order.attempts}</dd>
        </div>
        <div>
          <dt>Starts</dt>
          <dd>{time(order.startsAt)}</dd>
        </div>
        <div>
          <dt>Ends</dt>
          <dd>{order.endsAt ? time(order.endsAt) : order.startsAt ? 'when cancelled' : '—'}</dd>
        </div>
        {order.endedAt ? (
          <div>
            <dt>Ended</dt>
            <dd>{time(order.endedAt)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Customer</dt>
          <dd>{order.customer}</dd>
        </div>
      </dl>
      <section aria-labelledby="order-steps">
        <h2 id="order-steps">Steps</h2>
        <StepTimeline steps={order.steps} label="Order steps, oldest first" />
      </section>
      {order.state === 'Active' ? (
        <section aria-labelledby="order-addresses">
          <h2 id="order-addresses">Addresses</h2>
          {run ? <Addresses run={run} /> : null}
          {theirs ? <p class="empty">The run is your customer’s: only they see its addresses.</p> : null}
          {runProblem ? <ProblemView problem={runProblem} heading="The run could not be read" /> : null}
        </section>
      ) : null}
    </main>
  );
}
