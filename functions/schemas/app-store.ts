/**
 * The app store's requests and views, over the shared shapes of store-catalog.ts:
 * the bodies with their examples, the listing queries, a product as each caller sees
 * it, a store as its embedding page reads it, and a price list update.
 */
import * as z from 'zod';
import { LIMITS, Name, PageQuery, ProjectQuery, pageOf } from './common';
import { CatalogProduct, OrderInput, PriceListInput, Product, ProductInput, ProductUpdate, Store, StoreInput } from './store-catalog';

const examplePlans = [
  { name: 'basic', monthlyFee: { amount: 1900, currency: 'EUR' }, vmHourPrice: { amount: 4, currency: 'EUR' }, termDays: 30, trialDays: 7 },
  { name: 'pro', monthlyFee: { amount: 4900, currency: 'EUR' }, vmHourPrice: { amount: 3, currency: 'EUR' } },
];

/** The body of `POST /v1/products`. */
export const CreateProductBody = ProductInput.meta({
  examples: [
    {
      name: 'wordpress-hosting',
      description: 'WordPress with its MySQL database, three VMs.',
      deployment: 'wordpress-site',
      connector: 'sim-eu',
      credential: 'cred_01j0000000000000000000000',
      plans: examplePlans,
    },
  ],
});

/** The body of `PUT /v1/products/{id}`: the whole product again, with the version it was based on. */
export const ReplaceProductBody = ProductUpdate.meta({
  examples: [
    {
      name: 'wordpress-hosting',
      deployment: 'wordpress-site',
      deploymentVersion: 2,
      connector: 'sim-eu',
      credential: 'cred_01j0000000000000000000000',
      plans: examplePlans,
      version: 1,
    },
  ],
});

export const ProductListQuery = z.strictObject({
  ...PageQuery.shape,
  ...ProjectQuery.shape,
  /** Only this vendor's products (their published ones, unless you are that vendor or an admin). */
  vendor: z.string().min(1).max(LIMITS.idLength).optional(),
});

export const ProductQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });

/** A product as its vendor and admins see it (`Product`), or as the catalog shows it to everyone else (`CatalogProduct`: no credential). */
export const ProductView = z.union([Product, CatalogProduct]);
export const ProductViewPage = pageOf(ProductView);

export const CreateStoreBody = StoreInput.meta({
  examples: [{ name: 'acme-shop', description: 'Everything ACME sells.', products: ['prd_01j0000000000000000000000'] }],
});

/** A store as anyone reads it (no key needed): only its published products, in its order, as the catalog shows them. */
export const StoreView = Store.extend({ catalog: z.array(CatalogProduct) });

export const BuyParams = z.strictObject({ id: z.string().min(1).max(LIMITS.idLength), product: z.string().min(1).max(LIMITS.idLength) });

export const CreateOrderBody = OrderInput.meta({ examples: [{ product: 'prd_01j0000000000000000000000', plan: 'basic' }] });

export const OrderListQuery = z.strictObject({
  ...PageQuery.shape,
  /** `vendor`: the orders of your products (vendors and admins); by default your own orders (an admin: every order). */
  as: z.enum(['customer', 'vendor']).optional(),
});

export const PriceListParams = z.strictObject({ connector: Name });

/** The body of `PUT /v1/prices/{connector}`: the whole list; `version` (optional) refuses a stale update with 409. */
export const PutPriceListBody = PriceListInput.extend({ version: z.number().int().min(1).optional() }).meta({
  examples: [{ currency: 'EUR', perHour: { small: 2, medium: 5, large: 11 }, defaultPerHour: 3 }],
});
