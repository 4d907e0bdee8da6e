/**
 * The single table's shape, read by the CDK stateful stack and by the local runtime when it
 * creates the table in DynamoDB Local, so both always agree.
 */
export const TABLE_DEFINITION = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** GSIs are named after their generic keys; each context documents the access pattern it puts there. */
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  /** Clean-up only; nothing relies on TTL for correctness (deletes can lag up to 48 h). */
  timeToLiveAttribute: 'ttl',
  streamViewType: 'NEW_AND_OLD_IMAGES',
} as const;
