/**
 * Orders: a customer buys a published product on one of its plans; the order's
 * state machine launches the customer's run on the vendor's credential and quota
 * and shows each step on the order. The customer, the product's vendor and admins
 * see an order (anyone else gets 404); the customer (or an admin) cancels or renews it.
 */
import type { AppDeps } from '#functions/commons/deps';
import { idFrom, newId } from '#functions/commons/ids';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#functions/domain/errors';
import { cancelOrder, renewOrder, startOrderExecution } from '#functions/runs/order-lifecycle';
import { CreateOrderBody, OrderListQuery } from '#functions/schemas/app-store';
import { IdParams } from '#functions/schemas/common';
import { Order, OrderPage } from '#functions/schemas/store-catalog';
import { getOrder, listOrders, putOrder, type OrderDoc, type OrderFilter } from '#functions/store/orders';
import { getProduct } from '#functions/store/products';
import { userOf, type Caller } from '../kit/auth';
import { projectOnto } from '../kit/project';
import { route, type RouteSpec } from '../kit/route';

/** Who the caller is to an order: its customer, the product's vendor, an admin, or nobody. */
function relationTo(caller: Caller, order: OrderDoc): 'customer' | 'vendor' | 'admin' | undefined {
  const { userId, isAdmin } = userOf(caller);
  if (order.customer === userId) return 'customer';
  if (isAdmin) return 'admin';
  return order.vendor === userId ? 'vendor' : undefined;
}

/**
 * An order the caller may see, and who they are to it.
 * @throws NotFoundError for anyone but its customer, its vendor and admins
 */
async function visibleOrder(deps: AppDeps, caller: Caller, id: string): Promise<{ order: OrderDoc; as: 'customer' | 'vendor' | 'admin' }> {
  const order = await getOrder(deps.table, id);
  const as = order && relationTo(caller, order);
  if (!order || !as) throw new NotFoundError(`order ${id} not found`);
  return { order, as };
}

/**
 * An order its customer (or an admin) may act on.
 * @throws ForbiddenError for the product's vendor, who may only read it
 */
async function customersOrder(deps: AppDeps, caller: Caller, id: string): Promise<OrderDoc> {
  const { order, as } = await visibleOrder(deps, caller, id);
  if (as === 'vendor') throw new ForbiddenError(`order ${id} is your customer's: only they (or an admin) may change it`);
  return order;
}

const toOrder = (order: OrderDoc) => projectOnto(Order, order);

export const orderRoutes: RouteSpec[] = [
  route({
    key: 'POST /v1/orders',
    operationId: 'placeOrder',
    summary: "Order a published product on one of its plans: the order provisions the product's run for you (on the vendor's account) step by step",
    access: 'user',
    body: CreateOrderBody,
    response: Order,
    async handle({ caller, body, idempotencyKey }, deps) {
      const who = userOf(caller);
      const product = await getProduct(deps.table, body.product);
      if (!product || (product.state === 'draft' && !who.isAdmin && product.owner !== who.userId)) {
        throw new ValidationError('1 invalid field(s)', [{ path: 'body.product', message: `no product "${body.product}" in the catalog` }]);
      }
      const plan = product.plans.find((p) => p.name === body.plan);
      if (!plan) {
        const names = product.plans.map((p) => p.name).join(', ');
        throw new ValidationError('1 invalid field(s)', [{ path: 'body.plan', message: `product ${product.id} has no plan "${body.plan}" (it has ${names})` }]);
      }
      if (product.state !== 'published') throw new ConflictError(`product ${product.id} is ${product.state}: it cannot be ordered`);
      const at = deps.now().toISOString();
      const order: OrderDoc = {
        // With an Idempotency-Key the id comes from it: a retry after a crash finds the order the first attempt made.
        id: idempotencyKey ? idFrom('ord', `${who.userId}\n${idempotencyKey}`) : newId('ord'),
        owner: who.userId,
        customer: who.userId,
        vendor: product.owner,
        product: product.id,
        productVersion: product.version,
        plan,
        state: 'Pending',
        attempts: 0,
        steps: [{ at, state: 'Pending', message: `ordered ${product.name} version ${product.version}, plan ${plan.name}` }],
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      const made = (await putOrder(deps.table, order)) ? order : await getOrder(deps.table, order.id);
      if (!made || made.customer !== who.userId) throw new ConflictError('an order with this Idempotency-Key exists already');
      await startOrderExecution(deps, made.id);
      return toOrder(made);
    },
  }),
  route({
    key: 'GET /v1/orders',
    operationId: 'listOrders',
    summary: 'List your orders, newest first (an admin: every order); ?as=vendor: the orders of your products (vendors, admins)',
    access: 'user',
    query: OrderListQuery,
    response: OrderPage,
    async handle({ caller, query }, deps) {
      const who = userOf(caller);
      const { as, ...page } = query;
      if (as === 'vendor' && !(caller.kind === 'user' && (caller.role === 'vendor' || caller.role === 'admin'))) {
        throw new ForbiddenError('Only vendors (and admins) have orders of their products');
      }
      const filter: OrderFilter = as === 'vendor' ? { vendor: who.userId } : who.isAdmin && as === undefined ? {} : { customer: who.userId };
      const found = await listOrders(deps.table, filter, page);
      return { items: found.items.map(toOrder), nextCursor: found.nextCursor };
    },
  }),
  route({
    key: 'GET /v1/orders/{id}',
    operationId: 'getOrder',
    summary: 'Read an order with its steps (its customer, the product’s vendor, admins)',
    access: 'user',
    params: IdParams,
    response: Order,
    handle: async ({ caller, params }, deps) => toOrder((await visibleOrder(deps, caller, params.id)).order),
  }),
  route({
    key: 'POST /v1/orders/{id}/cancel',
    operationId: 'cancelOrder',
    summary: 'Cancel an order: it ends now and its run is terminated (200 also when it was cancelled already; 409 once Expired or Failed)',
    access: 'user',
    params: IdParams,
    response: Order,
    status: 200,
    async handle({ caller, params }, deps) {
      const order = await customersOrder(deps, caller, params.id);
      const { order: cancelled } = await cancelOrder(deps, order.id, userOf(caller).userId);
      return toOrder(cancelled);
    },
  }),
  route({
    key: 'POST /v1/orders/{id}/renew',
    operationId: 'renewOrder',
    summary: "Renew an Active order before its end: endsAt and its run's expiry move one term later (409 for a plan without a term)",
    access: 'user',
    params: IdParams,
    response: Order,
    status: 200,
    async handle({ caller, params }, deps) {
      const order = await customersOrder(deps, caller, params.id);
      return toOrder(await renewOrder(deps, order.id));
    },
  }),
];
