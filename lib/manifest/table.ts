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

/** Environment variable names shared by the deployer, the local runtime and the handlers. */
export const ENV = {
  tableName: 'QM_TABLE_NAME',
  busName: 'QM_BUS_NAME',
  exportsBucket: 'QM_EXPORTS_BUCKET',
  stage: 'QM_STAGE',
  /** Local mode: endpoint of the local AWS emulation (EventBridge, Step Functions). */
  awsEndpoint: 'QM_AWS_ENDPOINT',
  ddbEndpoint: 'QM_DDB_ENDPOINT',
  s3Endpoint: 'QM_S3_ENDPOINT',
  secretsDir: 'QM_SECRETS_DIR',
  secretsPrefix: 'QM_SECRETS_PREFIX',
  /** JSON object: state machine name → ARN (health check). */
  stateMachineArns: 'QM_STATE_MACHINE_ARNS',
} as const;
