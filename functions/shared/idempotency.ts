import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { ENV } from '#manifest/table';
import { dynamoClient } from './clients.ts';
import { getEnv } from './env.ts';

/**
 * Powertools idempotency records live in the single table (`pk = IDEMPOTENCY#...`), so
 * consumers need no second table. Records expire after a day: EventBridge retries for at
 * most 24 h, and archive replays re-use the envelope's eventId.
 */
let persistence: DynamoDBPersistenceLayer | undefined;

export function idempotencyStore(): DynamoDBPersistenceLayer {
  persistence ??= new DynamoDBPersistenceLayer({
    tableName: getEnv(ENV.tableName),
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    expiryAttr: 'ttl',
    awsSdkV3Client: dynamoClient(),
  });
  return persistence;
}

/** Makes an event consumer run once per envelope eventId, however often it is delivered. */
export function idempotentByEventId<TEvent, TResult>(fn: (event: TEvent) => Promise<TResult>) {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'detail.metadata.eventId',
    expiresAfterSeconds: 24 * 60 * 60,
    throwOnNoIdempotencyKey: true,
  });
  const run = makeIdempotent(fn, { persistenceStore: idempotencyStore(), config });
  /** The Lambda context lets an in-progress record expire when the function times out. */
  return (event: TEvent, context: Context): Promise<TResult> => {
    config.registerLambdaContext(context);
    return run(event);
  };
}
