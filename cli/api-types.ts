/** The API's resources as the CLI reads and writes them: types derived from the API's own zod schemas (types only, nothing loaded at run time). */
import type * as z from 'zod';
import type { Connector, ConnectorKindDescription, CreateConnectorBody, LookupItem } from '#functions/schemas/connectors';
import type { Credential } from '#functions/schemas/credentials';
import type { Deployment, DeploymentInput, NodeInput } from '#functions/schemas/deployments';
import type { Image, ImageInput } from '#functions/schemas/images';
import type { Quota, UsageRecord } from '#functions/schemas/quotas';
import type { Instance, LaunchPlan, MigrateInput, Run, RunEvent, RunInput, ScaleInput } from '#functions/schemas/runs';
import type { Build, BuildStep } from '#functions/schemas/builds';
import type { ProjectSummary } from '#functions/schemas/projects';
import { FINAL_RUN_STATES } from '#functions/schemas/runs';
import { FINAL_BUILD_STATES as FINAL_BUILD_STATES_OF_API } from '#functions/schemas/builds';
import type { ApiKey, User, UserWithKey } from '#functions/schemas/users';
import type { StoreView } from '#functions/schemas/app-store';
import type { BillingSettings, MonthClose } from '#functions/schemas/billing';
import type {
  CatalogProduct,
  Invoice,
  InvoiceLine,
  Order,
  OrderStep,
  Plan,
  PriceList,
  PriceListInput,
  Product,
  ProductInput,
  Store,
  VendorReport,
} from '#functions/schemas/store-catalog';

export type ImageT = z.output<typeof Image>;
/** What an image is made from (the request body without `version`). */
export type ImageInputT = z.input<typeof ImageInput>;
export type DeploymentT = z.output<typeof Deployment>;
export type DeploymentInputT = z.input<typeof DeploymentInput>;
export type NodeInputT = z.input<typeof NodeInput>;
export type RunT = z.output<typeof Run>;
export type RunInputT = z.input<typeof RunInput>;
export type InstanceT = z.output<typeof Instance>;
export type RunEventT = z.output<typeof RunEvent>;
/** The answer of `POST /v1/runs?dryRun=true`. */
export type LaunchPlanT = z.output<typeof LaunchPlan>;
export type RunStateT = RunT['state'];
/** `POST /v1/runs/{id}/scale`. */
export type ScaleInputT = z.input<typeof ScaleInput>;
/** `POST /v1/runs/{id}/migrate` (with `?dryRun=true`: a {@link LaunchPlanT} with `migratedFrom`). */
export type MigrateInputT = z.input<typeof MigrateInput>;
export type BuildT = z.output<typeof Build>;
export type BuildStepT = z.output<typeof BuildStep>;
export type BuildStateT = BuildT['state'];
/** One line of `GET /v1/projects`: a project that holds something, with its direct counts. */
export type ProjectSummaryT = z.output<typeof ProjectSummary>;
export type ConnectorT = z.output<typeof Connector>;
export type CreateConnectorT = z.input<typeof CreateConnectorBody>;
export type ConnectorKindT = z.output<typeof ConnectorKindDescription>;
export type LookupItemT = z.output<typeof LookupItem>;
export type CredentialT = z.output<typeof Credential>;
export type QuotaT = z.output<typeof Quota>;
export type UsageRecordT = z.output<typeof UsageRecord>;
export type UserT = z.output<typeof User>;
export type UserWithKeyT = z.output<typeof UserWithKey>;
export type ApiKeyT = z.output<typeof ApiKey>;

export type PlanT = z.output<typeof Plan>;
/** A product as its vendor and admins see it (with the credential). */
export type ProductT = z.output<typeof Product>;
/** A product as the catalog shows it to customers (no credential, an estimated hourly cost). */
export type CatalogProductT = z.output<typeof CatalogProduct>;
/** What `GET /v1/products` and `/v1/products/{id}` answer: either view. */
export type ProductViewT = ProductT | CatalogProductT;
export type ProductInputT = z.input<typeof ProductInput>;
export type StoreT = z.output<typeof Store>;
export type StoreViewT = z.output<typeof StoreView>;
export type OrderT = z.output<typeof Order>;
export type OrderStepT = z.output<typeof OrderStep>;
export type OrderStateT = OrderT['state'];
export type PriceListT = z.output<typeof PriceList>;
export type PriceListInputT = z.input<typeof PriceListInput>;
export type InvoiceT = z.output<typeof Invoice>;
export type InvoiceLineT = z.output<typeof InvoiceLine>;
export type VendorReportT = z.output<typeof VendorReport>;
export type MonthCloseT = z.output<typeof MonthClose>;
export type BillingSettingsT = z.output<typeof BillingSettings>;

/** Where an order stops moving by itself: Active until it ends, the others for good. */
export const SETTLED_ORDER_STATES: readonly OrderStateT[] = ['Active', 'Expired', 'Cancelled', 'Failed'];

/** Where an image build ends (its builder VM gone, its quota released). */
export const FINAL_BUILD_STATES: readonly BuildStateT[] = FINAL_BUILD_STATES_OF_API;

/** Where a run ends for good (the API's own list). */
export const FINAL_STATES: readonly RunStateT[] = FINAL_RUN_STATES;
/** Where a run stops moving by itself (Ready until terminated; the final states for good). */
export const SETTLED_STATES: readonly RunStateT[] = ['Ready', ...FINAL_STATES];
