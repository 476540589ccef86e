/**
 * Key formats of every item in the table: the only place that spells them.
 * `pk`/`sk` address an item; the `gsi*` helpers give the index attributes an item carries.
 */
export type ResourceType =
  'user' | 'connector' | 'credential' | 'image' | 'deployment' | 'run' | 'orphan' | 'webhook' | 'product' | 'store' | 'order' | 'invoice' | 'build';

/** Version-controlled resources: a HEAD item and one item per version. */
export type VersionedType = 'image' | 'deployment' | 'product';

/** Resources a delete refuses while others refer to them. */
export type UsedType = 'image' | 'connector';

const pad = (n: number, width = 10) => String(n).padStart(width, '0');

/** The one partition of the sparse expiry index. */
const EXPIRY_PARTITION = 'EXPIRY';
/** The one partition of the sparse live-instances index. */
const LIVE_PARTITION = 'LIVE';
/** Webhook deliveries due for another attempt: a partition of the sparse expiry index of their own. */
const REDELIVERY_PARTITION = 'REDELIVER';
/** The owner under which admins' all-users webhooks are indexed (no user id has this form). */
export const ALL_USERS_OWNER = '*';
/** Sort key prefix of a run's event items: also what the table stream's filter keeps. */
export const RUN_EVENT_SK_PREFIX = 'EVT#';
/** Sort key prefix of an order's event items: the same as a run's, so the table stream's filter keeps them too. */
export const ORDER_EVENT_SK_PREFIX = RUN_EVENT_SK_PREFIX;
/** Orders with a warning (7 days, 1 day before `endsAt`) still to give: a partition of the sparse expiry index of their own. */
const ORDER_REMINDER_PARTITION = 'ORDER-REMINDER';
/** Orders that are Active (from `startsAt`), and orders that ended after being Active (by `endedAt`): partitions of the expiry index, for billing. */
const ORDERS_OPEN_PARTITION = 'ORDERS-OPEN';
const ORDERS_ENDED_PARTITION = 'ORDERS-ENDED';
/** Builds not yet in a final state, by creation: what the execution sweep looks at. */
const OPEN_BUILDS_PARTITION = 'BUILDS-OPEN';
/** Scales in progress, by start: what the execution sweep looks at. */
const OPEN_SCALES_PARTITION = 'SCALES-OPEN';

export const keys = {
  user: (id: string) => ({ pk: `USER#${id}`, sk: 'META' }),
  apiKey: (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'META' }),
  connector: (name: string) => ({ pk: `CONNECTOR#${name}`, sk: 'META' }),
  credential: (id: string) => ({ pk: `CRED#${id}`, sk: 'META' }),
  /** Current head of a versioned resource (image, deployment). */
  head: (type: VersionedType, id: string) => ({ pk: `${type.toUpperCase()}#${id}`, sk: 'HEAD' }),
  /** One immutable version of a versioned resource. */
  version: (type: VersionedType, id: string, version: number) => ({
    pk: `${type.toUpperCase()}#${id}`,
    sk: `V#${pad(version)}`,
  }),
  versionPrefix: (type: VersionedType, id: string) => ({ pk: `${type.toUpperCase()}#${id}`, skPrefix: 'V#' }),
  /** A user's access to someone else's image or deployment, kept in the resource's partition. */
  grant: (type: VersionedType, id: string, user: string) => ({ pk: `${type.toUpperCase()}#${id}`, sk: `GRANT#${user}` }),
  grantPrefix: (type: VersionedType, id: string) => ({ pk: `${type.toUpperCase()}#${id}`, skPrefix: 'GRANT#' }),
  /**
   * "`by` uses this resource", in the used resource's partition: written and removed in the
   * same transaction as the resource that refers to it, so a delete finds its users with a Query.
   */
  usedBy: (used: UsedType, usedId: string, by: { type: ResourceType; id: string }) => ({ pk: `USES#${used}#${usedId}`, sk: `${by.type}#${by.id}` }),
  usedByPrefix: (used: UsedType, usedId: string) => ({ pk: `USES#${used}#${usedId}` }),
  /**
   * Guards the uniqueness of a name among one owner's resources of a type; for images,
   * deployments and products the name is their path (`shop/backend/mysql`: unique within a project).
   */
  uniqueName: (type: ResourceType, owner: string, name: string) => ({ pk: `NAME#${type}#${owner}`, sk: name }),
  run: (id: string) => ({ pk: `RUN#${id}`, sk: 'META' }),
  instance: (runId: string, node: string, index: number) => ({ pk: `RUN#${runId}`, sk: `INST#${node}#${pad(index, 4)}` }),
  instancePrefix: (runId: string) => ({ pk: `RUN#${runId}`, skPrefix: 'INST#' }),
  runEvent: (runId: string, at: string, seq: string) => ({ pk: `RUN#${runId}`, sk: `${RUN_EVENT_SK_PREFIX}${at}#${seq}` }),
  runEventPrefix: (runId: string) => ({ pk: `RUN#${runId}`, skPrefix: RUN_EVENT_SK_PREFIX }),
  quota: (user: string, connector: string) => ({ pk: `QUOTA#${user}`, sk: `CONNECTOR#${connector}` }),
  quotaPrefix: (user: string) => ({ pk: `QUOTA#${user}`, skPrefix: 'CONNECTOR#' }),
  usage: (user: string, day: string, connector: string, runId: string) => ({
    pk: `USAGE#${user}`,
    sk: `${day}#${connector}#${runId}`,
  }),
  usagePrefix: (user: string) => ({ pk: `USAGE#${user}` }),
  idempotency: (caller: string, key: string) => ({ pk: `IDEMPOTENCY#${caller}`, sk: key }),
  /** A VM tagged as Slipway's that no live instance owns, in one cloud account. */
  orphan: (connector: string, credentialId: string, cloudId: string) => ({ pk: `ORPHAN#${connector}#${credentialId}`, sk: cloudId }),
  /** A webhook; its deliveries share its partition. */
  webhook: (id: string) => ({ pk: `WEBHOOK#${id}`, sk: 'META' }),
  /** How many webhooks a user holds: the per-user limit is a condition on it. */
  webhookCount: (owner: string) => ({ pk: `WEBHOOKS#${owner}`, sk: 'COUNT' }),
  /** One event's delivery to one webhook, in event time order: one per (webhook, event), so a repeated event makes no second one. */
  delivery: (webhookId: string, eventAt: string, eventId: string) => ({ pk: `WEBHOOK#${webhookId}`, sk: `DLV#${eventAt}#${eventId}` }),
  deliveryPrefix: (webhookId: string) => ({ pk: `WEBHOOK#${webhookId}`, skPrefix: 'DLV#' }),
  /** An order: its events (`EVT#…`) and its pending warning (`REMINDER`) share its partition. */
  order: (id: string) => ({ pk: `ORDER#${id}`, sk: 'META' }),
  orderEvent: (orderId: string, at: string, seq: string) => ({ pk: `ORDER#${orderId}`, sk: `${ORDER_EVENT_SK_PREFIX}${at}#${seq}` }),
  /** The order's next end-of-term warning (one per order, rewritten on renewal). */
  orderReminder: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'REMINDER' }),
  /** A vendor's store (its own catalog page). */
  store: (id: string) => ({ pk: `STORE#${id}`, sk: 'META' }),
  /** An admin's price list for one connector. */
  priceList: (connector: string) => ({ pk: `PRICES#${connector}`, sk: 'META' }),
  /** A customer's invoice for one month (its id derives from both: `inv_<YYYYMM>_<customer>`). */
  invoice: (id: string) => ({ pk: `INVOICE#${id}`, sk: 'META' }),
  /** The close of one month (`closing` while under way, then `closed`): every month in one partition. */
  monthClose: (month: string) => ({ pk: 'BILLING#CLOSE', sk: month }),
  /** The admin's billing settings (the platform fee). */
  billingSettings: () => ({ pk: 'BILLING#SETTINGS', sk: 'META' }),
  /** A vendor's report for one month, written by the month's close. */
  vendorReport: (vendor: string, month: string) => ({ pk: `VREPORT#${vendor}`, sk: month }),
  /** The shared request budget of one connector and credential. */
  rateBudget: (connector: string, credentialId: string) => ({ pk: `BUDGET#${connector}#${credentialId}`, sk: 'META' }),
  /** How many images, deployments and products one owner keeps directly in one project. */
  project: (owner: string, path: string) => ({ pk: `PROJECTS#${owner}`, sk: path }),
  projectPrefix: (owner: string) => ({ pk: `PROJECTS#${owner}` }),
  /** A scale in progress (its marker, written with the move to Scaling and deleted with the move back). */
  openScale: (scaleId: string) => ({ pk: `SCALE#${scaleId}`, sk: 'OPEN' }),
  /** An image build (one image on one connector): its steps live on the item. */
  build: (id: string) => ({ pk: `BUILD#${id}`, sk: 'META' }),
} as const;

/** Index attributes. */
export const indexKeys = {
  byOwner: (type: ResourceType, owner: string, sortValue: string) => ({
    gsi1pk: `OWNER#${owner}#${type}`,
    gsi1sk: sortValue,
  }),
  byType: (type: ResourceType, sortValue: string) => ({ gsi2pk: `TYPE#${type}`, gsi2sk: sortValue }),
  /** Instances on a connector, or on a connector with one credential: a prefix of `liveRuns`' sort key. */
  liveOn: (connector: string, credentialId?: string) => (credentialId === undefined ? `${connector}#` : `${connector}#${credentialId}#`),
  byExpiry: (expiresAt: string, runId: string) => ({ expPk: EXPIRY_PARTITION, expSk: `${expiresAt}#${runId}` }),
  /** Sorts after every `<expiresAt>#<runId>` of the same instant: the upper bound of "expired by then". */
  expiredBy: (at: string) => `${at}#~`,
  /** A delivery due for an attempt at `dueAt`, in the expiry index's redelivery partition. */
  redelivery: (dueAt: string, ref: string) => ({ expPk: REDELIVERY_PARTITION, expSk: `${dueAt}#${ref}` }),
  /**
   * A product's index attributes: its vendor's products and the catalog, both sorted by state first, so
   * "published only" is a key prefix (`productStatePrefix`) and "every state" the whole partition.
   */
  productByOwner: (owner: string, state: string, name: string) => ({ gsi1pk: `OWNER#${owner}#product`, gsi1sk: `${state}#${name}` }),
  productByType: (state: string, createdAt: string, id: string) => ({ gsi2pk: 'TYPE#product', gsi2sk: `${state}#${createdAt}#${id}` }),
  productStatePrefix: (state: string) => `${state}#`,
  /** One vendor's orders (the orders of their products), newest last, in the live-instances index under a partition of their own. */
  vendorOrders: (vendor: string, createdAt: string, orderId: string) => ({ livePk: `VENDOR#${vendor}#order`, liveSk: `${createdAt}#${orderId}` }),
  /** An order's next warning, due at `dueAt`, in the expiry index's order-reminder partition. */
  orderReminderDue: (dueAt: string, orderId: string) => ({ expPk: ORDER_REMINDER_PARTITION, expSk: `${dueAt}#${orderId}` }),
  /** An Active order, by when it started (billing's "open" orders). */
  orderOpen: (startsAt: string, orderId: string) => ({ expPk: ORDERS_OPEN_PARTITION, expSk: `${startsAt}#${orderId}` }),
  /** An order that ended after being Active, by when it ended. */
  orderEnded: (endedAt: string, orderId: string) => ({ expPk: ORDERS_ENDED_PARTITION, expSk: `${endedAt}#${orderId}` }),
  /** A scale in progress, by when it started (its marker item carries these). */
  openScale: (startedAt: string, scaleId: string) => ({ expPk: OPEN_SCALES_PARTITION, expSk: `${startedAt}#${scaleId}` }),
  /** A build that has not ended, by when it was created (removed when it reaches a final state). */
  openBuild: (createdAt: string, buildId: string) => ({ expPk: OPEN_BUILDS_PARTITION, expSk: `${createdAt}#${buildId}` }),
  liveRuns: (connector: string, credentialId: string, instanceRef: string) => ({
    livePk: LIVE_PARTITION,
    liveSk: `${connector}#${credentialId}#${instanceRef}`,
  }),
} as const;
