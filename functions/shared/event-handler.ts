import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type BusEvent, busEventSchema } from './events.ts';
import { idempotentByEventId } from './idempotency.ts';
import { logger } from './powertools.ts';

/**
 * Wraps an EventBridge rule target: validates the envelope, tags logs with the correlation
 * id, and runs the consumer at most once per event (EventBridge delivers at least once).
 * A thrown error makes the bus retry and, after its retry policy, dead-letter the event.
 */
export function eventHandler(run: (event: BusEvent) => Promise<void>) {
  const once = idempotentByEventId(async (event: BusEvent) => {
    await run(event);
    return { handled: event.detail.metadata.eventId };
  });
  return middy<unknown, void, Error, Context>().handler(async (raw, context) => {
    const event = busEventSchema.parse(raw);
    logger.appendKeys({
      correlationId: event.detail.metadata.correlationId,
      detailType: event['detail-type'],
    });
    try {
      await once(event, context);
    } finally {
      logger.removeKeys(['correlationId', 'detailType']);
    }
  });
}
