import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoClient } from './clients.ts';
import { ENV, getEnv } from './env.ts';

/**
 * Powertools idempotency records live in the single table (`pk = qm.<consumer>#<hash>`), so
 * consumers need no second table. Records expire after a day: EventBridge retries for at most
 * 24 h, and archive replays re-use the envelope's eventId.
 *
 * Each consumer gets its own persistence layer and key prefix. Powertools otherwise prefixes
 * with the Lambda function name, which the local runtime (many handlers, one process) does not
 * have: two consumers of the same event would share one record and the second would be skipped.
 */
export function idempotencyStore(): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName: getEnv(ENV.tableName),
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    expiryAttr: 'ttl',
    awsSdkV3Client: dynamoClient(),
  });
}

/** Makes an event consumer run once per envelope eventId, however often it is delivered. */
export function idempotentByEventId<TEvent, TResult>(
  consumer: string,
  fn: (event: TEvent) => Promise<TResult>,
) {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'detail.metadata.eventId',
    expiresAfterSeconds: 24 * 60 * 60,
    throwOnNoIdempotencyKey: true,
  });
  const run = makeIdempotent(fn, {
    persistenceStore: idempotencyStore(),
    config,
    keyPrefix: `qm.${consumer}`,
  });
  /** The Lambda context lets an in-progress record expire when the function times out. */
  return (event: TEvent, context: Context): Promise<TResult> => {
    config.registerLambdaContext(context);
    return run(event);
  };
}
