/**
 * The app store's catalog: `products` (the catalog, or a vendor's own; show, create,
 * update, publish, retire), `prices` (a connector's price list; admins set it) and
 * `stores` (a vendor's own catalog page with its "Buy this" links).
 */
import type { Command } from 'commander';
import type { DeploymentT, PriceListInputT, PriceListT, ProductInputT, ProductT, ProductViewT, StoreT, StoreViewT } from '../api-types';
import { seg, type SlipwayClient } from '../client';
import { contextOf } from '../context';
import { CliError, EXIT, UsageError } from '../exit-codes';
import { collect, pairs, readObject } from '../key-values';
import { formatMoney, parseAmount } from '../money';
import { filePlans, ownCredential, parsePlanFlag } from '../product-file';
import { pathOf, projectQuery, withProjectOptions, type ProjectOptions } from '../projects';
import { PRODUCT_COLUMNS, showPriceList, showProduct, showStore } from '../store-text';

/**
 * A product id, from an id, a path (`shop/hosting`) or a name (as the caller's product list or the catalog has it).
 * @throws UsageError when several products have that name; CliError (exit 3) when none has
 */
export async function resolveProduct(client: SlipwayClient, ref: string): Promise<string> {
  if (ref.startsWith('prd_')) return ref;
  const found = (await client.listAll<ProductViewT>('/products')).filter((p) => (ref.includes('/') ? pathOf(p) === ref : p.name === ref));
  if (found.length > 1) throw new UsageError(`Several products are named "${ref}" (${found.map((p) => p.id).join(', ')}): give the id`);
  if (!found[0]) throw new CliError(`No product named "${ref}" in your catalog (slipway products)`, EXIT.notFound);
  return found[0].id;
}

/** The deployment's name, when the caller may read it (a product's vendor); undefined otherwise. */
async function deploymentName(client: SlipwayClient, product: ProductViewT): Promise<string | undefined> {
  const deployment = await client.find<DeploymentT>(`/deployments/${seg(product.deployment)}`, { version: product.deploymentVersion }).catch(() => undefined);
  return deployment?.name;
}

interface ProductFlags {
  file?: string;
  description?: string;
  deployment?: string;
  deploymentVersion?: string;
  connector?: string;
  credential?: string;
  project?: string;
  plan: string[];
  tag: string[];
}

const PRODUCT_FIELDS = ['name', 'project', 'description', 'deployment', 'deploymentVersion', 'connector', 'credential', 'plans', 'tags'];

/** The product body from `-f` (the API's fields; money as "19.00 EUR" too) with the flags over it. */
async function productBody(client: SlipwayClient, name: string | undefined, flags: ProductFlags, base: Partial<ProductInputT> = {}): Promise<ProductInputT> {
  const file = flags.file ? readObject(flags.file) : {};
  const unknown = Object.keys(file).filter((key) => !PRODUCT_FIELDS.includes(key));
  if (unknown.length) throw new UsageError(`${flags.file}: unknown field(s) ${unknown.join(', ')} (a product has ${PRODUCT_FIELDS.join(', ')})`);
  if (flags.deploymentVersion !== undefined && !/^\d+$/.test(flags.deploymentVersion)) {
    throw new UsageError(`--deployment-version ${flags.deploymentVersion}: a version number`);
  }
  const plans = flags.plan.length ? flags.plan.map(parsePlanFlag) : file.plans === undefined ? base.plans : filePlans(file.plans, flags.file!);
  const body = {
    ...base,
    ...file,
    ...(name ? { name } : {}),
    ...(flags.description === undefined ? {} : { description: flags.description }),
    ...(flags.deployment ? { deployment: flags.deployment } : {}),
    ...(flags.deploymentVersion ? { deploymentVersion: Number(flags.deploymentVersion) } : {}),
    ...(flags.connector ? { connector: flags.connector } : {}),
    ...(flags.credential ? { credential: flags.credential } : {}),
    ...(flags.project ? { project: flags.project } : {}),
    ...(plans ? { plans } : {}),
    ...(flags.tag.length ? { tags: { ...((file.tags as Record<string, string> | undefined) ?? base.tags ?? {}), ...pairs(flags.tag, '--tag') } } : {}),
  } as Partial<ProductInputT>;
  const missing = ['name', 'deployment', 'connector', 'plans'].filter((key) => body[key as keyof ProductInputT] === undefined);
  if (missing.length) throw new UsageError(`A product needs ${missing.join(', ')}: give them in the file (-f) or as flags (--plan name=…,monthly=…,vm-hour=…)`);
  if (!body.credential) body.credential = await ownCredential(client, body.connector!);
  return body as ProductInputT;
}

function productOptions(command: Command): Command {
  return command
    .option('-f, --file <path>', "YAML or JSON of the product's fields (flags override it; money as 19.00 EUR or {amount, currency})")
    .option('--description <text>')
    .option('--deployment <name|id>', 'the deployment sold')
    .option('--deployment-version <n>', 'pin this version (default: the latest)')
    .option('--connector <name>', "the connector every order's run uses")
    .option('--credential <id>', 'your credential on that connector (default: your only one there)')
    .option('-p, --project <path>', 'the project it lives in, e.g. shop/web (a bare --deployment name is looked up there first)')
    .option('--plan <spec>', 'a plan, e.g. name=basic,monthly=19.00EUR,vm-hour=0.04EUR,term=30,trial=7 (repeatable; replaces the file’s plans)', collect, [])
    .option('--tag <key=value>', 'a tag (repeatable)', collect, []);
}

/** Price list entries of a file or flags: a number is minor units (the API's field), text like "0.02" the currency's major unit. */
function minorUnits(value: unknown, currency: string, where: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const text = value.trim().replace(new RegExp(`\\s*${currency}$`, 'i'), '');
    const amount = parseAmount(text, currency);
    if (amount !== undefined) return amount;
  }
  throw new UsageError(`${where}: ${JSON.stringify(value)} is not a price (minor units as a whole number, or "0.02" in ${currency})`);
}

export function registerProducts(program: Command): void {
  const products = program
    .command('products')
    .description("The app store's products: the catalog (a vendor: their own products), show, create, publish, retire");
  withProjectOptions(
    products
      .command('list', { isDefault: true })
      .description("the catalog's published products (a vendor: their own, in every state; an admin: every product)")
      .option('--vendor <user>', "one vendor's products (their published ones unless they are yours)"),
  ).action(async (options: { vendor?: string } & ProjectOptions, command: Command) => {
    const ctx = contextOf(command);
    const items = await ctx.client().listAll<ProductViewT>('/products', { vendor: options.vendor, ...projectQuery(options) });
    ctx.out.list(items, PRODUCT_COLUMNS, 'No products (vendors create them: slipway products create).');
  });
  products
    .command('show')
    .description('a product with its plans (its vendor also sees the credential its runs use)')
    .argument('<product>', 'product id or name')
    .option('--at <version>', 'an older version, by number')
    .action(async (ref: string, options: { at?: string }, command: Command) => {
      const ctx = contextOf(command);
      if (options.at && !/^\d+$/.test(options.at)) throw new UsageError(`--at ${options.at}: a version number`);
      const client = ctx.client();
      const product = await client.get<ProductViewT>(`/products/${seg(await resolveProduct(client, ref))}`, { version: options.at });
      const name = ctx.out.format === 'table' ? await deploymentName(client, product) : undefined;
      ctx.out.result(product, (p) => showProduct(p, name));
    });
  productOptions(
    products
      .command('create')
      .description('vendor: a product (a draft) from a deployment, your credential on a connector and its plans')
      .argument('[name]', 'product name (or name: in the file)'),
  ).action(async (name: string | undefined, flags: ProductFlags, command: Command) => {
    const ctx = contextOf(command);
    const client = ctx.client();
    const made = await client.post<ProductT>('/products', await productBody(client, name, flags));
    ctx.out.result(made, (p) => `Created product ${p.name} (${p.id}), a draft with ${p.plans.length} plan(s).\nPublish it: slipway products publish ${p.id}`);
  });
  productOptions(
    products
      .command('update')
      .description('vendor: change a product (its next version; what the file and flags leave out stays); orders keep the version they bought')
      .argument('<product>', 'product id or name'),
  ).action(async (ref: string, flags: ProductFlags, command: Command) => {
    const ctx = contextOf(command);
    const client = ctx.client();
    const id = await resolveProduct(client, ref);
    const current = await client.get<ProductT>(`/products/${seg(id)}`);
    if (!('credential' in current)) throw new CliError(`Product ${id} is another vendor's: only they (or an admin) may change it`, EXIT.notFound);
    const { name, description, deployment, deploymentVersion, connector, credential, plans, tags } = current;
    const base = { name, description, deployment, deploymentVersion, connector, credential, plans, tags };
    const body = await productBody(client, undefined, flags, base);
    const updated = await client.put<ProductT>(`/products/${seg(id)}`, { ...body, version: current.version });
    ctx.out.result(updated, (p) => `Updated product ${p.name} (${p.id}): version ${p.version}, ${p.state}.`);
  });
  for (const [verb, state, note] of [
    ['publish', 'published', 'it is in the catalog: slipway order'],
    ['retire', 'retired', 'it can no longer be ordered; its orders keep running'],
  ] as const) {
    products
      .command(verb)
      .description(verb === 'publish' ? 'vendor: put a draft in the catalog (refused when its launch could not go ahead)' : `vendor: ${note}`)
      .argument('<product>', 'product id or name')
      .action(async (ref: string, _options, command: Command) => {
        const ctx = contextOf(command);
        const client = ctx.client();
        const product = await client.post<ProductT>(`/products/${seg(await resolveProduct(client, ref))}/${verb}`);
        ctx.out.result(product, (p) => `Product ${p.name} (${p.id}) is ${state} (version ${p.version}): ${note}.`);
      });
  }

  const prices = program.command('prices').description("A connector's price list: the price per hour of each instance type (admins set it)");
  prices
    .command('show', { isDefault: true })
    .description("the connector's price list")
    .argument('<connector>', 'connector name')
    .action(async (connector: string, _options, command: Command) => {
      const ctx = contextOf(command);
      ctx.out.result(await ctx.client().get<PriceListT>(`/prices/${seg(connector)}`), showPriceList);
    });
  prices
    .command('set')
    .description("admin: replace a connector's price list, from a file (-f) of the API's fields and/or flags")
    .argument('<connector>', 'connector name')
    .option('-f, --file <path>', 'YAML or JSON: currency, perHour {type: minor units or "0.02"}, defaultPerHour')
    .option('--currency <code>', 'ISO 4217, e.g. EUR')
    .option('--per-hour <type=price>', 'the price per hour of an instance type, in the currency (e.g. small=0.02; repeatable)', collect, [])
    .option('--default-per-hour <price>', 'the price per hour of any other type (e.g. 0.03)')
    .action(async (connector: string, options: { file?: string; currency?: string; perHour: string[]; defaultPerHour?: string }, command: Command) => {
      const ctx = contextOf(command);
      const file = options.file ? readObject(options.file) : {};
      const currency = (options.currency ?? (file.currency as string | undefined))?.toUpperCase();
      if (!currency) throw new UsageError('Give the currency: --currency EUR (or currency: in the file)');
      const where = options.file ?? 'file';
      const filePrices = Object.entries((file.perHour as Record<string, unknown> | undefined) ?? {}).map(
        ([type, value]) => [type, minorUnits(value, currency, `${where}: perHour.${type}`)] as const,
      );
      const flagPrices = Object.entries(pairs(options.perHour, '--per-hour')).map(
        ([type, value]) => [type, minorUnits(value, currency, `--per-hour ${type}`)] as const,
      );
      const fallback = options.defaultPerHour ?? file.defaultPerHour;
      const body: PriceListInputT = {
        currency,
        perHour: Object.fromEntries([...filePrices, ...flagPrices]),
        ...(fallback === undefined
          ? {}
          : { defaultPerHour: minorUnits(fallback, currency, options.defaultPerHour ? '--default-per-hour' : `${where}: defaultPerHour`) }),
      };
      const list = await ctx.client().put<PriceListT>(`/prices/${seg(connector)}`, body);
      const count = Object.keys(list.perHour).length;
      const rest = list.defaultPerHour === undefined ? '' : `, any other ${formatMoney({ amount: list.defaultPerHour, currency: list.currency })}/h`;
      ctx.out.result(list, (l) => `Price list of ${l.connector} (version ${l.version}): ${count} instance type(s) in ${l.currency}${rest}.`);
    });

  const stores = program.command('stores').description('Vendors\' stores: a catalog page of their own products, with a "Buy this" link per product');
  stores
    .command('create')
    .description('vendor: a store listing your products, in order')
    .argument('<name>', 'store name')
    .option('--description <text>')
    .option('--product <product>', 'a product of yours, id or name (repeatable)', collect, [])
    .action(async (name: string, options: { description?: string; product: string[] }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const products = await Promise.all(options.product.map((ref) => resolveProduct(client, ref)));
      const made = await client.post<StoreT>('/stores', { name, ...(options.description ? { description: options.description } : {}), products });
      ctx.out.result(made, (s) => `Created store ${s.name} (${s.id}) with ${s.products.length} product(s).\nShow it: slipway stores show ${s.id}`);
    });
  stores
    .command('show')
    .description('a store as anyone reads it: its published products and their "Buy this" links')
    .argument('<id>', 'store id')
    .action(async (id: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      ctx.out.result(await client.get<StoreViewT>(`/stores/${seg(id)}`), (s) => showStore(s, client.config.url));
    });
}
