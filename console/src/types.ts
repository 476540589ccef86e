/**
 * What the console reads from the API, typed from the API's own zod schemas
 * (type-only imports: nothing of them reaches the bundle), so a field the API
 * drops or renames fails `npm run typecheck` here too.
 */
import type * as z from 'zod';
import type { Connector as ConnectorSchema, ConnectorKindDescription } from '#functions/schemas/connectors';
import type { Build as BuildSchema } from '#functions/schemas/builds';
import type { Credential as CredentialSchema } from '#functions/schemas/credentials';
import type { Deployment as DeploymentSchema } from '#functions/schemas/deployments';
import type { Image as ImageSchema } from '#functions/schemas/images';
import type { ProjectSummary as ProjectSummarySchema } from '#functions/schemas/projects';
import type { Quota as QuotaSchema, UsageRecord as UsageSchema } from '#functions/schemas/quotas';
import type { Instance as InstanceSchema, LaunchPlan as LaunchPlanSchema, Run as RunSchema, RunEvent as RunEventSchema } from '#functions/schemas/runs';
import type { User as UserSchema } from '#functions/schemas/users';
import type { StoreView as StoreViewSchema } from '#functions/schemas/app-store';
import type { MonthClose as MonthCloseSchema } from '#functions/schemas/billing';
import type {
  CatalogProduct as CatalogProductSchema,
  Invoice as InvoiceSchema,
  Order as OrderSchema,
  Plan as PlanSchema,
  Product as ProductSchema,
  VendorReport as VendorReportSchema,
} from '#functions/schemas/store-catalog';

export type Run = z.output<typeof RunSchema>;
export type Instance = z.output<typeof InstanceSchema>;
export type RunEvent = z.output<typeof RunEventSchema>;
export type LaunchPlan = z.output<typeof LaunchPlanSchema>;
export type Deployment = z.output<typeof DeploymentSchema>;
export type DeploymentNode = Deployment['nodes'][number];
export type Image = z.output<typeof ImageSchema>;
export type Build = z.output<typeof BuildSchema>;
export type BuildState = Build['state'];
export type Connector = z.output<typeof ConnectorSchema>;
export type ConnectorKind = z.output<typeof ConnectorKindDescription>;
export type Credential = z.output<typeof CredentialSchema>;
/** A project that holds something, with its direct counts (`GET /v1/projects`). */
export type ProjectSummary = z.output<typeof ProjectSummarySchema>;
export type Quota = z.output<typeof QuotaSchema>;
export type UsageRecord = z.output<typeof UsageSchema>;
export type User = z.output<typeof UserSchema>;
export type Plan = z.output<typeof PlanSchema>;
/** A product as its vendor and admins see it (with the credential its runs use). */
export type Product = z.output<typeof ProductSchema>;
/** A product as the catalog shows it to customers: no credential, an estimated hourly cost. */
export type CatalogProduct = z.output<typeof CatalogProductSchema>;
/** What `GET /v1/products` and `/v1/products/{id}` answer: either view. */
export type ProductView = Product | CatalogProduct;
export type StoreView = z.output<typeof StoreViewSchema>;
export type Order = z.output<typeof OrderSchema>;
export type OrderState = Order['state'];
export type Invoice = z.output<typeof InvoiceSchema>;
export type VendorReport = z.output<typeof VendorReportSchema>;
export type MonthClose = z.output<typeof MonthCloseSchema>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
