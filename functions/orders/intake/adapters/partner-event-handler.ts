import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { dynamoClient } from '#shared/clients';
import { ENV, getEnv } from '#shared/env';
import { logger } from '#shared/powertools';

/** An EventBridge event from a partner (SaaS) source: any detail, not our envelope. */
export const partnerEventSchema = z.object({
  id: z.string(),
  source: z.string(),
  'detail-type': z.string(),
  time: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type PartnerEvent = z.infer<typeof partnerEventSchema>;

/**
 * Records in the single table like the kernel's (`#shared/idempotency`), but a layer of its
 * own: a Powertools persistence layer binds to the first key configuration it serves, and in
 * the local runtime every consumer shares one process.
 */
function persistenceLayer(): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName: getEnv(ENV.tableName),
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    expiryAttr: 'ttl',
    awsSdkV3Client: dynamoClient(),
  });
}

/**
 * Wraps a rule target that consumes partner events (SP-API notifications), the way
 * `eventHandler` wraps ours: validates the EventBridge envelope and runs the consumer at most
 * once per the partner's own delivery id (`keyPath`, a JMESPath into the event), falling back
 * to the EventBridge event id when the partner omitted it. A copy that arrives while the
 * first is still running is acknowledged (the first is retried by the bus if it fails). A
 * thrown error makes the bus retry and finally dead-letter; a consumer records mapping
 * problems itself instead of throwing.
 */
export function partnerEventHandler(
  opts: { name: string; keyPath: string },
  run: (event: PartnerEvent) => Promise<void>,
) {
  const { keyPath } = opts;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: `${keyPath} || id`,
    expiresAfterSeconds: 24 * 60 * 60,
    throwOnNoIdempotencyKey: true,
  });
  const once = makeIdempotent(
    async (event: PartnerEvent) => {
      await run(event);
      return { handled: event.id };
    },
    // Named: locally every function shares one process and AWS_LAMBDA_FUNCTION_NAME is unset.
    { persistenceStore: persistenceLayer(), config, keyPrefix: `partner-event.${opts.name}` },
  );
  return middy<unknown, void, Error, Context>().handler(async (raw, context) => {
    const event = partnerEventSchema.parse(raw);
    logger.appendKeys({ partnerEventId: event.id, detailType: event['detail-type'], source: event.source });
    try {
      config.registerLambdaContext(context);
      await once(event);
    } catch (error) {
      // The same notification is being handled right now. If that run fails, the bus retries
      // *it*; this copy adds nothing, so it is acknowledged instead of retried into the DLQ.
      if (!(error instanceof IdempotencyAlreadyInProgressError)) throw error;
      logger.info('Duplicate partner event while the first is in progress', { partnerEventId: event.id });
    } finally {
      logger.removeKeys(['partnerEventId', 'detailType', 'source']);
    }
  });
}
