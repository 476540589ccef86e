/**
 * Buying from the app store: `order <product> --plan <name> [--wait]`, and `orders`
 * (yours, or as a vendor the orders of your products; show with the steps and the
 * run's addresses, cancel, renew).
 */
import { Option, type Command } from 'commander';
import type { OrderT, ProductViewT } from '../api-types';
import { seg, type SlipwayClient } from '../client';
import { contextOf, type Context } from '../context';
import { parseDuration } from '../durations';
import { EXIT, UsageError } from '../exit-codes';
import { addressesOf, failureOf, orderRun, waitForOrder } from '../follow-order';
import { table } from '../render';
import { ORDER_COLUMNS, showOrder } from '../store-text';
import { resolveProduct } from './products';

const ORDER_STATES = ['Pending', 'Provisioning', 'Active', 'Expired', 'Cancelled', 'Failed'];

/** Product names by id, for the ids given (those the caller may read). */
export async function productNames(client: SlipwayClient, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => client.find<ProductViewT>(`/products/${seg(id)}`).catch(() => undefined)));
  return new Map(found.filter((p): p is ProductViewT => !!p).map((p) => [p.id, p.name]));
}

/** The order, shown whole: its steps, and its run's addresses when the caller may read the run. */
async function printOrder(ctx: Context, order: OrderT): Promise<void> {
  const client = ctx.client();
  if (ctx.out.format === 'json') return ctx.out.line(JSON.stringify(order, null, 2));
  const [names, run] = await Promise.all([productNames(client, [order.product]), orderRun(client, order)]);
  const runNote = order.run && !run ? `The run ${order.run} is the customer's: only they (and admins) see its addresses.` : undefined;
  ctx.out.line(showOrder(order, { productName: names.get(order.product), addresses: addressesOf(run), runNote }));
}

export function registerOrders(program: Command): void {
  program
    .command('order')
    .description('Order a product of the catalog on one of its plans: its run is provisioned for you, step by step')
    .argument('<product>', 'product id or name')
    .option('-p, --plan <name>', 'the plan (slipway products show <product> lists them)')
    .option('--wait', 'follow its steps until Active (exit 0) or Failed (exit 1, with the reason)')
    .addOption(new Option('--timeout <duration>', 'with --wait: give up after this long (exit 4); the order goes on').default('30m'))
    .option('--idempotency-key <key>', 'a retried command with the same key gets the first order instead of a second one')
    .action(async (ref: string, options: { plan?: string; wait?: boolean; timeout: string; idempotencyKey?: string }, command: Command) => {
      const ctx = contextOf(command);
      parseDuration(options.timeout, '--timeout');
      const client = ctx.client();
      const product = await client.get<ProductViewT>(`/products/${seg(await resolveProduct(client, ref))}`);
      const plan = options.plan ?? (product.plans.length === 1 ? product.plans[0]!.name : undefined);
      if (!plan) throw new UsageError(`Choose a plan of ${product.name}: --plan ${product.plans.map((p) => p.name).join('|')}`);
      const headers = options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : undefined;
      const placed = (await client.send<OrderT>('POST', '/orders', { body: { product: product.id, plan }, headers })).body;
      if (!options.wait) {
        ctx.out.result(placed, (o) => `Ordered ${product.name} (${o.plan.name}): order ${o.id} is ${o.state}.\nFollow it: slipway orders show ${o.id} --wait`);
        return;
      }
      const { order, run } = await waitForOrder(ctx, placed.id, { timeout: options.timeout, productName: product.name });
      if (ctx.out.format === 'json') ctx.out.line(JSON.stringify(order, null, 2));
      else if (order.state === 'Active') {
        const addresses = addressesOf(run);
        ctx.out.line(
          [
            `Order ${order.id} is Active${order.endsAt ? ` until ${order.endsAt}` : ' until cancelled'}: run ${order.run}.`,
            ...(addresses.length
              ? [
                  '',
                  table(addresses, [
                    { header: 'instance', value: (a) => a.instance },
                    { header: 'ip', value: (a) => a.ip },
                    { header: 'hostname', value: (a) => a.hostname },
                  ]),
                ]
              : []),
            '',
            `  slipway orders show ${order.id}     its steps and addresses`,
            `  slipway orders cancel ${order.id}   end it`,
          ].join('\n'),
        );
      }
      const failure = failureOf(order);
      if (failure) throw failure;
    });

  const orders = program.command('orders').description('Orders: yours (a vendor: --as vendor for the orders of your products); show, cancel, renew');
  orders
    .command('list', { isDefault: true })
    .description('your orders, newest first (an admin: every order)')
    .addOption(new Option('--as <who>', 'vendor: the orders of your products').choices(['customer', 'vendor']))
    .addOption(new Option('--state <state>', 'only orders in this state').choices(ORDER_STATES))
    .action(async (options: { as?: 'customer' | 'vendor'; state?: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const items = (await client.listAll<OrderT>('/orders', { as: options.as })).filter((o) => !options.state || o.state === options.state);
      const names =
        ctx.out.format === 'table'
          ? await productNames(
              client,
              items.map((o) => o.product),
            )
          : new Map<string, string>();
      ctx.out.list(
        items.map((o) => ({ ...o, productName: names.get(o.product) })),
        ORDER_COLUMNS,
        options.as === 'vendor' ? 'No orders of your products yet.' : 'No orders (slipway products, then slipway order <product> --plan <name>).',
      );
    });
  orders
    .command('show')
    .description("an order: its plan, its steps one per line, its run and the run's addresses")
    .argument('<id>', 'order id')
    .option('--wait', 'follow it until it is Active or over (exit 1 unless Active)')
    .addOption(new Option('--timeout <duration>', 'with --wait: give up after this long (exit 4)').default('30m'))
    .action(async (id: string, options: { wait?: boolean; timeout: string }, command: Command) => {
      const ctx = contextOf(command);
      let order = await ctx.client().get<OrderT>(`/orders/${seg(id)}`);
      if (options.wait) order = (await waitForOrder(ctx, id, { timeout: options.timeout })).order;
      await printOrder(ctx, order);
      if (options.wait && order.state !== 'Active') process.exitCode = EXIT.failure;
    });
  orders
    .command('cancel')
    .description('cancel an order: it ends now and its run is terminated')
    .argument('<id>', 'order id')
    .action(async (id: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const order = await ctx.client().post<OrderT>(`/orders/${seg(id)}/cancel`);
      ctx.out.result(order, (o) => `Order ${o.id} is ${o.state}${o.run ? `; its run ${o.run} is being terminated` : ''}.`);
    });
  orders
    .command('renew')
    .description("renew an Active order by one term: its end and its run's expiry move one term later")
    .argument('<id>', 'order id')
    .action(async (id: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const order = await ctx.client().post<OrderT>(`/orders/${seg(id)}/renew`);
      ctx.out.result(order, (o) => `Order ${o.id} renewed: it ends at ${o.endsAt}.`);
    });
}
