/**
 * Key formats of every item in the table: the only place that spells them.
 * `pk`/`sk` address an item; the `gsi*` helpers give the index attributes an item carries.
 */
export type ResourceType = 'user' | 'connector' | 'credential' | 'image' | 'deployment' | 'run' | 'orphan';

/** Version-controlled resources: a HEAD item and one item per version. */
export type VersionedType = 'image' | 'deployment';

/** Resources a delete refuses while others refer to them. */
export type UsedType = 'image' | 'connector';

const pad = (n: number, width = 10) => String(n).padStart(width, '0');

/** The one partition of the sparse expiry index. */
const EXPIRY_PARTITION = 'EXPIRY';
/** The one partition of the sparse live-instances index. */
const LIVE_PARTITION = 'LIVE';

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
  /** Guards the uniqueness of a name among one owner's resources of a type. */
  uniqueName: (type: ResourceType, owner: string, name: string) => ({ pk: `NAME#${type}#${owner}`, sk: name }),
  run: (id: string) => ({ pk: `RUN#${id}`, sk: 'META' }),
  instance: (runId: string, node: string, index: number) => ({ pk: `RUN#${runId}`, sk: `INST#${node}#${pad(index, 4)}` }),
  instancePrefix: (runId: string) => ({ pk: `RUN#${runId}`, skPrefix: 'INST#' }),
  runEvent: (runId: string, at: string, seq: string) => ({ pk: `RUN#${runId}`, sk: `EVT#${at}#${seq}` }),
  runEventPrefix: (runId: string) => ({ pk: `RUN#${runId}`, skPrefix: 'EVT#' }),
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
  /** The shared request budget of one connector and credential. */
  rateBudget: (connector: string, credentialId: string) => ({ pk: `BUDGET#${connector}#${credentialId}`, sk: 'META' }),
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
  liveRuns: (connector: string, credentialId: string, instanceRef: string) => ({
    livePk: LIVE_PARTITION,
    liveSk: `${connector}#${credentialId}#${instanceRef}`,
  }),
} as const;
