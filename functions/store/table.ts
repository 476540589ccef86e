/**
 * The one table's physical layout: key attributes, indexes and TTL.
 * Used by the CDK stack, by the local runner's CreateTable, and by every query.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after it passes. */
  ttlAttribute: 'ttl',
  /** The table's stream: new images only, read by the events publisher (only new event items are published). */
  streamViewType: 'NEW_IMAGE',
  indexes: {
    /** A user's resources of one type, by name or creation time. */
    byOwner: { name: 'byOwner', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Every resource of one type (admin listings). */
    byType: { name: 'byType', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /**
     * Things due at a time, sorted by it, one partition per kind (sparse): live runs by expiry
     * (`EXPIRY`), webhook deliveries by their next attempt (`REDELIVER`), orders' next end-of-term
     * warning (`ORDER-REMINDER`), Active orders by start and ended ones by end (`ORDERS-OPEN`, `ORDERS-ENDED`),
     * builds that have not ended by creation (`BUILDS-OPEN`), scales in progress by start (`SCALES-OPEN`).
     */
    byExpiry: { name: 'byExpiry', partitionKey: 'expPk', sortKey: 'expSk' },
    /** Runs that hold live VMs, grouped by connector and credential (sparse); also each vendor's orders (`VENDOR#<id>#order`). */
    liveRuns: { name: 'liveRuns', partitionKey: 'livePk', sortKey: 'liveSk' },
  },
} as const;

export type IndexName = (typeof TABLE.indexes)[keyof typeof TABLE.indexes]['name'];
