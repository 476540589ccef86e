/**
 * App store and billing: the shapes shared by products, orders, price lists,
 * invoices and vendor reports (../shared/docs/product.md, "App store and billing").
 * Money is always `{amount, currency}` with `amount` an integer number of minor
 * units (cents): no amount ever goes through floating point.
 */
import * as z from 'zod';
import { LIMITS, Name, ProjectPath, Ref, ResourceMeta, mapOf, pageOf } from './common';

/** ISO 4217 code, upper case. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as "EUR"');

/** An amount of money in minor units (cents), never negative in a price. */
export const Money = z.strictObject({
  amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: Currency,
});
export type MoneyT = z.output<typeof Money>;

/** A signed amount (invoice lines may correct earlier ones). */
export const SignedMoney = z.strictObject({
  amount: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  currency: Currency,
});
export type SignedMoneyT = z.output<typeof SignedMoney>;

/** One way to buy a product. `monthlyFee` and `vmHourPrice` share one currency. */
export const Plan = z
  .strictObject({
    name: Name,
    monthlyFee: Money,
    vmHourPrice: Money,
    /** Days an order lasts from its start; absent: until cancelled. */
    termDays: z.number().int().min(1).max(3650).optional(),
    /** Days at the start of an order that are not charged (fee nor VM hours). */
    trialDays: z.number().int().min(0).max(365).optional(),
  })
  .refine((p) => p.monthlyFee.currency === p.vmHourPrice.currency, {
    message: 'monthlyFee and vmHourPrice must be in the same currency',
    path: ['vmHourPrice'],
  });
export type PlanT = z.output<typeof Plan>;

export const PRODUCT_STATES = ['draft', 'published', 'retired'] as const;
export const ProductState = z.enum(PRODUCT_STATES);

export const ProductInput = z.strictObject({
  name: Name,
  description: z.string().max(4096).optional(),
  /** The project it lives in (none: the top level); its name is unique there among the vendor's products. */
  project: ProjectPath.optional(),
  /** The deployment, by id, path or name (the product's project first, then the top level); the product pins `deploymentVersion` (the latest when absent). */
  deployment: Ref,
  deploymentVersion: z.number().int().min(1).optional(),
  /** The connector every order's run uses. */
  connector: Name,
  /** The vendor's credential on that connector, by id: customers never see it. */
  credential: z.string().min(1).max(LIMITS.idLength),
  plans: z.array(Plan).min(1).max(20),
  tags: mapOf(z.string().min(1).max(LIMITS.nameLength), z.string().max(LIMITS.shortText)).default({}),
});

export const ProductUpdate = ProductInput.extend({ version: z.number().int().min(1) });

/** A product as its vendor (and admins) see it. */
export const Product = ResourceMeta.extend({
  ...ProductInput.shape,
  deploymentVersion: z.number().int().min(1),
  state: ProductState,
});
export type ProductT = z.output<typeof Product>;

/** A product as the catalog shows it to customers: no credential. */
export const CatalogProduct = Product.omit({ credential: true }).extend({
  /** An estimate of the VMs' hourly cost from the connector's price list (absent without a price list). */
  estimatedHourlyCost: Money.optional(),
});

export const ProductPage = pageOf(Product);
export const CatalogPage = pageOf(CatalogProduct);

/** A vendor's own store: the products it lists, in order. */
export const StoreInput = z.strictObject({
  name: Name,
  description: z.string().max(4096).optional(),
  products: z.array(z.string().min(1).max(LIMITS.idLength)).max(200).default([]),
});
export const Store = ResourceMeta.extend(StoreInput.shape);

export const ORDER_STATES = ['Pending', 'Provisioning', 'Active', 'Expired', 'Cancelled', 'Failed'] as const;
export const OrderState = z.enum(ORDER_STATES);
export type OrderStateT = z.output<typeof OrderState>;
export const FINAL_ORDER_STATES: readonly OrderStateT[] = ['Expired', 'Cancelled', 'Failed'];

export const OrderInput = z.strictObject({
  /** The product, by id. */
  product: z.string().min(1).max(LIMITS.idLength),
  /** The plan, by name. */
  plan: Name,
});

/** One step of an order, as the customer sees them one by one. */
export const OrderStep = z.object({ at: z.iso.datetime(), state: OrderState, message: z.string() });

/** An order as its customer, the product's vendor and admins see it. */
export const Order = ResourceMeta.extend({
  /** The customer (also `owner`). */
  customer: z.string(),
  vendor: z.string(),
  product: z.string(),
  productVersion: z.number().int().min(1),
  /** The plan as it was when ordered: later product versions never change what an order costs. */
  plan: Plan,
  state: OrderState,
  /** The run the order launched (owned by the customer); absent until Provisioning. */
  run: z.string().optional(),
  /** Every run the order launched, one per attempt, oldest first (the last one is `run`). */
  runs: z.array(z.string()).optional(),
  /** Launch attempts so far (a failed run is retried with backoff up to a bound). */
  attempts: z.number().int().min(0),
  startsAt: z.iso.datetime().optional(),
  /** From the plan's term; the run's `expiresAt`. */
  endsAt: z.iso.datetime().optional(),
  /** When the order stopped being Active (cancelled, expired or failed). */
  endedAt: z.iso.datetime().optional(),
  failureReason: z.string().optional(),
  steps: z.array(OrderStep),
});
export type OrderT = z.output<typeof Order>;
export const OrderPage = pageOf(Order);

/** An admin's price list for one connector: price per instance type per hour. */
export const PriceListInput = z.strictObject({
  currency: Currency,
  /** Minor units per hour, by instance type. */
  perHour: mapOf(z.string().min(1).max(64), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)),
  /** Minor units per hour for an instance with no type or a type not listed. */
  defaultPerHour: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export const PriceList = PriceListInput.extend({ connector: z.string(), updatedAt: z.iso.datetime(), version: z.number().int().min(1) });

export const INVOICE_STATES = ['open', 'issued', 'paid', 'void'] as const;
export const InvoiceState = z.enum(INVOICE_STATES);

export const InvoiceLine = z.object({
  order: z.string(),
  product: z.string(),
  plan: z.string(),
  /** The product's vendor (whose report counts the line). */
  vendor: z.string(),
  /** The UTC month the charge is for: the invoice's, or the month before for the part after an early close of that month. */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  kind: z.enum(['fee', 'vm-hours', 'correction']),
  description: z.string(),
  /** Fee lines: active days charged out of the month's days; VM-hour lines: VM-seconds charged. */
  quantity: z.number().int(),
  amount: SignedMoney,
});
export type InvoiceLineT = z.output<typeof InvoiceLine>;

/** One customer's invoice for one UTC month. Issued invoices never change. */
export const Invoice = z.object({
  id: z.string(),
  customer: z.string(),
  /** `YYYY-MM` (UTC). */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  state: InvoiceState,
  lines: z.array(InvoiceLine),
  /** One total per currency. */
  totals: z.array(SignedMoney),
  /** From when usage was counted: the month's start, or where an early close of the month before stopped. */
  coveredFrom: z.iso.datetime(),
  /** Up to when usage was counted (the month's end, or the moment an admin closed the current month). */
  coveredUntil: z.iso.datetime(),
  issuedAt: z.iso.datetime().optional(),
  paidAt: z.iso.datetime().optional(),
  voidedAt: z.iso.datetime().optional(),
  version: z.number().int().min(1),
});
export type InvoiceT = z.output<typeof Invoice>;
export const InvoicePage = pageOf(Invoice);

/** A vendor's revenue for one month: per product and plan, the platform fee and the net, per currency. */
export const VendorReport = z.object({
  vendor: z.string(),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  /** The platform fee in basis points (1/100 of a percent) applied. */
  feeBasisPoints: z.number().int().min(0).max(10_000),
  /** The span the month's close covered (as its invoices' `coveredFrom` and `coveredUntil`). */
  coveredFrom: z.iso.datetime(),
  coveredUntil: z.iso.datetime(),
  /** Revenue per product, plan and currency: the sum of the month's invoice lines for the vendor's orders. */
  lines: z.array(z.object({ product: z.string(), plan: z.string(), orders: z.number().int(), revenue: SignedMoney })),
  /** Per currency: revenue, fee = floor(revenue × feeBasisPoints / 10000), net = revenue − fee. */
  totals: z.array(z.object({ currency: Currency, revenue: z.number().int(), fee: z.number().int(), net: z.number().int() })),
});
export type VendorReportT = z.output<typeof VendorReport>;
