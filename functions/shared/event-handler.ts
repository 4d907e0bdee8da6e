import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type BusEvent, busEventSchema } from './events.ts';
import { idempotentByEventId } from './idempotency.ts';
import { logger } from './powertools.ts';

export interface EventHandlerOptions {
  /**
   * Guard the consumer with an idempotency record per event (two extra writes). Turn it off
   * only for consumers that are idempotent by construction, e.g. a put keyed by the event id.
   * @default true
   */
  idempotent?: boolean;
}

/**
 * Wraps an EventBridge rule target: validates the envelope, tags logs with the correlation
 * id, and runs the consumer at most once per event (EventBridge delivers at least once).
 * A thrown error makes the bus retry and, after its retry policy, dead-letter the event.
 * `consumer` names the idempotency records, so it must be unique per consumer.
 */
export function eventHandler(
  consumer: string,
  run: (event: BusEvent) => Promise<void>,
  options: EventHandlerOptions = {},
) {
  const once =
    options.idempotent === false
      ? async (event: BusEvent) => run(event)
      : idempotentByEventId(consumer, async (event: BusEvent) => {
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
