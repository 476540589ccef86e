/**
 * The app store's catalog: vendors' products (versioned, draft → published →
 * retired), vendors' stores with their "Buy this" links, and admins' price lists.
 * A product's vendor (and admins) see it whole; everyone else sees published (and
 * retired) products as the catalog shows them: no credential, with an estimated
 * hourly cost. Stores and buy links are read without a key: vendors embed them.
 */
import type { AppDeps } from '#functions/commons/deps';
import { newId } from '#functions/commons/ids';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '#functions/domain/errors';
import { projectFilterOf } from '#functions/domain/projects';
import { estimatePlannedCost } from '#functions/runs/launch-cost';
import { planLaunch } from '#functions/runs/launch-plan';
import { orderLaunchRequest } from '#functions/runs/order-lifecycle';
import {
  BuyParams,
  CreateProductBody,
  CreateStoreBody,
  PriceListParams,
  ProductListQuery,
  ProductQuery,
  ProductView,
  ProductViewPage,
  PutPriceListBody,
  ReplaceProductBody,
  StoreView,
} from '#functions/schemas/app-store';
import { IdParams } from '#functions/schemas/common';
import { CatalogProduct, PriceList, Product, ProductInput, Store } from '#functions/schemas/store-catalog';
import { getConnector } from '#functions/store/connectors';
import { getVisibleCredential } from '#functions/store/credentials';
import { getPriceList, putPriceList } from '#functions/store/price-lists';
import { createProduct, getProduct, listProducts, updateProduct, type ProductDoc, type ProductState } from '#functions/store/products';
import { resolveRef, type Visibility } from '#functions/store/resources';
import { createStore, getStore } from '#functions/store/vendor-stores';
import * as z from 'zod';
import { userOf, type Caller } from '../kit/auth';
import { projectOnto } from '../kit/project';
import { route, seeOther, type RouteSpec } from '../kit/route';
import { findDeployment } from './deployments';

type ProductBody = z.output<typeof ProductInput>;

/** A product's vendor, or an admin: who sees it whole and may change it. */
const isVendorOf = (who: Visibility | undefined, product: Pick<ProductDoc, 'owner'>) => !!who && (who.isAdmin || product.owner === who.userId);

/** A product as the catalog shows it: no credential, with the hourly cost its order's run would have. */
async function catalogView(deps: AppDeps, product: ProductDoc): Promise<z.output<typeof CatalogProduct>> {
  const plan = await planLaunch(deps, orderLaunchRequest(product, { id: '', customer: product.owner }));
  const estimatedHourlyCost = await estimatePlannedCost(deps, plan.instances);
  return projectOnto(CatalogProduct, { ...product, ...(estimatedHourlyCost ? { estimatedHourlyCost } : {}) });
}

/** The product as `who` may see it; drafts are their vendor's (and admins') alone. */
async function viewOf(deps: AppDeps, who: Visibility | undefined, product: ProductDoc): Promise<z.output<typeof ProductView>> {
  return isVendorOf(who, product) ? projectOnto(Product, product) : catalogView(deps, product);
}

/**
 * A product `who` may see (a draft only its vendor and admins), by id, or by the path or name of one of their own.
 * @throws NotFoundError otherwise
 */
async function visibleProduct(deps: AppDeps, who: Visibility | undefined, ref: string, version?: number): Promise<ProductDoc> {
  const id = (who && (await resolveRef(deps.table, 'product', who.userId, ref, 'prd'))) ?? ref;
  const product = await getProduct(deps.table, id, version);
  if (!product || (product.state === 'draft' && !isVendorOf(who, product)))
    throw new NotFoundError(`product ${ref}${version ? ` version ${version}` : ''} not found`);
  return product;
}

/**
 * A product the caller may change: its vendor's or any for an admin.
 * @throws NotFoundError when they may not see it; ForbiddenError when they see it but it is another vendor's
 */
async function ownProduct(deps: AppDeps, caller: Caller, id: string): Promise<ProductDoc> {
  const who = userOf(caller);
  const product = await visibleProduct(deps, who, id);
  if (!isVendorOf(who, product)) throw new ForbiddenError(`product ${id} is another vendor's`);
  return product;
}

/**
 * What a product body refers to, checked as its vendor (`owner`) would use it: the
 * connector, the vendor's own credential on it, a deployment (version) the vendor may
 * run, distinct plan names. An admin creating a product names the vendor by their credential.
 * @returns the product's owner and the pinned deployment version
 * @throws ValidationError listing every bad field
 */
async function checkProduct(deps: AppDeps, who: Visibility, body: ProductBody, fixedOwner?: string) {
  const errors: FieldError[] = [];
  const [connector, credential] = await Promise.all([
    getConnector(deps.table, body.connector),
    getVisibleCredential(deps.table, body.credential, { userId: '', isAdmin: true }).catch(() => undefined),
  ]);
  const owner = fixedOwner ?? (who.isAdmin && credential ? credential.owner : who.userId);
  if (!connector) errors.push({ path: 'body.connector', message: `no connector "${body.connector}"` });
  if (!credential || credential.owner !== owner || credential.connector !== body.connector) {
    errors.push({ path: 'body.credential', message: `no credential "${body.credential}" of the vendor for connector "${body.connector}"` });
  }
  const vendor = { userId: owner, isAdmin: false };
  const deployment = await findDeployment(deps, vendor, body.deployment, { need: 'run', version: body.deploymentVersion, within: body.project }).catch(
    () => undefined,
  );
  if (!deployment) {
    const which = body.deploymentVersion ? ` version ${body.deploymentVersion}` : '';
    errors.push({
      path: body.deploymentVersion ? 'body.deploymentVersion' : 'body.deployment',
      message: `no deployment "${body.deployment}"${which} the vendor may run`,
    });
  }
  body.plans.forEach((plan, i) => {
    if (body.plans.findIndex((p) => p.name === plan.name) !== i) errors.push({ path: `body.plans.${i}.name`, message: `a second plan named "${plan.name}"` });
  });
  if (errors.length || !deployment) throw new ValidationError(`${errors.length} invalid field(s)`, errors);
  return { owner, deployment: deployment.id, deploymentVersion: deployment.version };
}

/**
 * What publishing needs: the vendor's credential still on the connector, and a launch of the product that would go ahead.
 * @throws ConflictError naming what stands in the way
 */
async function checkLaunchable(deps: AppDeps, product: ProductDoc): Promise<void> {
  const credential = await getVisibleCredential(deps.table, product.credential, { userId: product.owner, isAdmin: false }).catch(() => undefined);
  const problems =
    credential?.connector === product.connector ? [] : [`the vendor has no credential ${product.credential} for connector "${product.connector}"`];
  problems.push(...(await planLaunch(deps, orderLaunchRequest(product, { id: '', customer: product.owner }))).problems);
  if (problems.length) throw new ConflictError(`product ${product.id} cannot be published: ${[...new Set(problems)].join('; ')}`);
}

/** Moves a product to `state` as a new version (nothing when it is there already). */
async function moveProduct(deps: AppDeps, caller: Caller, id: string, state: ProductState): Promise<z.output<typeof Product>> {
  const current = await ownProduct(deps, caller, id);
  if (current.state === state) return projectOnto(Product, current);
  if (state === 'published' && current.state === 'retired') throw new ConflictError(`product ${id} is retired: it cannot be published again`);
  if (state === 'published') await checkLaunchable(deps, current);
  const next = { ...current, state, updatedAt: deps.now().toISOString() };
  return projectOnto(Product, await updateProduct(deps.table, current, current.version, next));
}

const wantsJson = (accept: string | undefined) => /\bapplication\/(\w+\+)?json\b/i.test(accept ?? '');

export const catalogRoutes: RouteSpec[] = [
  route({
    key: 'POST /v1/products',
    operationId: 'createProduct',
    summary: "Create a product (a draft): a deployment version sold with the vendor's credential on a connector, and its plans (vendors, admins)",
    access: 'vendor',
    body: CreateProductBody,
    response: Product,
    async handle({ caller, body }, deps) {
      const checked = await checkProduct(deps, userOf(caller), body);
      const now = deps.now().toISOString();
      const doc: ProductDoc = { ...body, ...checked, id: newId('prd'), state: 'draft', createdAt: now, updatedAt: now, version: 1 };
      return projectOnto(Product, await createProduct(deps.table, doc));
    },
  }),
  route({
    key: 'GET /v1/products',
    operationId: 'listProducts',
    summary: "The catalog: every vendor's published products (?vendor= one vendor's); a vendor's own products in every state; an admin's every product",
    access: 'user',
    query: ProductListQuery,
    response: ProductViewPage,
    async handle({ caller, query }, deps) {
      const who = userOf(caller);
      const { vendor, project, subprojects, ...page } = query;
      const whole = who.isAdmin || (caller.kind === 'user' && caller.role === 'vendor' && (vendor === undefined || vendor === who.userId));
      const owner = vendor ?? (whole && !who.isAdmin ? who.userId : undefined);
      const filter = { owner, project: projectFilterOf({ project, subprojects }), ...(whole ? {} : { state: 'published' as const }) };
      const found = await listProducts(deps.table, filter, page);
      return { items: await Promise.all(found.items.map((product) => viewOf(deps, who, product))), nextCursor: found.nextCursor };
    },
  }),
  route({
    key: 'GET /v1/products/{id}',
    operationId: 'getProduct',
    summary: 'Read a product, or one of its versions (?version=N): whole for its vendor, as the catalog shows it for anyone else',
    access: 'user',
    params: IdParams,
    query: ProductQuery,
    response: ProductView,
    async handle({ caller, params, query }, deps) {
      const who = userOf(caller);
      return viewOf(deps, who, await visibleProduct(deps, who, params.id, query.version));
    },
  }),
  route({
    key: 'PUT /v1/products/{id}',
    operationId: 'replaceProduct',
    summary: 'Replace a product, creating its next version (its state stays); orders keep the version they bought',
    access: 'vendor',
    params: IdParams,
    body: ReplaceProductBody,
    response: Product,
    errors: [409],
    async handle({ caller, params, body }, deps) {
      const current = await ownProduct(deps, caller, params.id);
      const { version, ...fields } = body;
      const checked = await checkProduct(deps, userOf(caller), fields, current.owner);
      const next: ProductDoc = {
        ...fields,
        ...checked,
        id: current.id,
        state: current.state,
        createdAt: current.createdAt,
        updatedAt: deps.now().toISOString(),
        version,
      };
      return projectOnto(Product, await updateProduct(deps.table, current, version, next));
    },
  }),
  route({
    key: 'POST /v1/products/{id}/publish',
    operationId: 'publishProduct',
    summary: "Publish a draft product: it joins the catalog (409 when its launch could not go ahead, e.g. no native image on the product's connector)",
    access: 'vendor',
    params: IdParams,
    response: Product,
    status: 200,
    handle: ({ caller, params }, deps) => moveProduct(deps, caller, params.id, 'published'),
  }),
  route({
    key: 'POST /v1/products/{id}/retire',
    operationId: 'retireProduct',
    summary: 'Retire a product: it can no longer be ordered; its orders keep running',
    access: 'vendor',
    params: IdParams,
    response: Product,
    status: 200,
    handle: ({ caller, params }, deps) => moveProduct(deps, caller, params.id, 'retired'),
  }),
  route({
    key: 'POST /v1/stores',
    operationId: 'createStore',
    summary: "Create a store: a vendor's own catalog page of their products, readable without a key",
    access: 'vendor',
    body: CreateStoreBody,
    response: Store,
    async handle({ caller, body }, deps) {
      const who = userOf(caller);
      const products = await Promise.all(body.products.map((id) => getProduct(deps.table, id)));
      const errors = products.flatMap((product, i) =>
        product && isVendorOf(who, product) ? [] : [{ path: `body.products.${i}`, message: `no product "${body.products[i]}" of yours` }],
      );
      if (errors.length) throw new ValidationError(`${errors.length} invalid field(s)`, errors);
      const now = deps.now().toISOString();
      return projectOnto(Store, await createStore(deps.table, { ...body, id: newId('sto'), owner: who.userId, createdAt: now, updatedAt: now, version: 1 }));
    },
  }),
  route({
    key: 'GET /v1/stores/{id}',
    operationId: 'getStore',
    summary: 'Read a store with its published products (no key needed: vendors embed it)',
    access: 'public',
    params: IdParams,
    response: StoreView,
    async handle({ params }, deps) {
      const store = await getStore(deps.table, params.id);
      if (!store) throw new NotFoundError(`store ${params.id} not found`);
      const products = (await Promise.all(store.products.map((id) => getProduct(deps.table, id)))).filter(
        (product): product is ProductDoc => product?.state === 'published',
      );
      const catalog = await Promise.all(products.map((product) => catalogView(deps, product)));
      return { ...projectOnto(Store, store), products: products.map((product) => product.id), catalog };
    },
  }),
  route({
    key: 'GET /v1/stores/{id}/buy/{product}',
    operationId: 'buyFromStore',
    summary: 'The "Buy this" link: 303 to the console\'s order page, or with Accept: application/json the product and its plans (no key needed)',
    access: 'public',
    params: BuyParams,
    response: CatalogProduct,
    alsoSucceedsWith: [303],
    async handle({ params, accept }, deps) {
      const store = await getStore(deps.table, params.id);
      const product = store?.products.includes(params.product) ? await getProduct(deps.table, params.product) : undefined;
      if (!store || product?.state !== 'published') throw new NotFoundError(`store ${params.id} sells no product ${params.product}`);
      if (wantsJson(accept)) return catalogView(deps, product);
      return seeOther(`/#/order?${new URLSearchParams({ product: product.id, store: store.id }).toString()}`);
    },
  }),
  route({
    key: 'PUT /v1/prices/{connector}',
    operationId: 'setPriceList',
    summary: "Set a connector's price list: the price per hour of each instance type, in minor units (admins)",
    access: 'admin',
    params: PriceListParams,
    body: PutPriceListBody,
    response: PriceList,
    errors: [409],
    async handle({ params, body }, deps) {
      if (!(await getConnector(deps.table, params.connector))) throw new NotFoundError(`connector ${params.connector} not found`);
      const { version, ...list } = body;
      return projectOnto(PriceList, await putPriceList(deps.table, params.connector, list, deps.now(), version));
    },
  }),
  route({
    key: 'GET /v1/prices/{connector}',
    operationId: 'getPriceList',
    summary: "Read a connector's price list",
    access: 'user',
    params: PriceListParams,
    response: PriceList,
    async handle({ params }, deps) {
      const list = await getPriceList(deps.table, params.connector);
      if (!list) throw new NotFoundError(`connector ${params.connector} has no price list`);
      return projectOnto(PriceList, list);
    },
  }),
];
