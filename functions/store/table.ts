/**
 * The one table's physical layout: key attributes, indexes and TTL.
 * Used by the CDK stack, by the local runner's CreateTable, and by every query.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after it passes. */
  ttlAttribute: 'ttl',
  indexes: {
    /** A user's resources of one type, by name or creation time. */
    byOwner: { name: 'byOwner', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Every resource of one type (admin listings). */
    byType: { name: 'byType', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Live runs with an expiry, sorted by expiry time (sparse). */
    byExpiry: { name: 'byExpiry', partitionKey: 'expPk', sortKey: 'expSk' },
    /** Runs that hold live VMs, grouped by connector and credential (sparse). */
    liveRuns: { name: 'liveRuns', partitionKey: 'livePk', sortKey: 'liveSk' },
  },
} as const;

export type IndexName = (typeof TABLE.indexes)[keyof typeof TABLE.indexes]['name'];
