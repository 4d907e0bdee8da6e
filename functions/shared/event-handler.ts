import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type BusEvent, busEventSchema } from './events.ts';
import { idempotentByEventId } from './idempotency.ts';
import { type PayloadStore, resolvePayload, s3PayloadStore } from './payload-store.ts';
import { logger } from './powertools.ts';

export interface EventHandlerOptions {
  /**
   * Guard the consumer with an idempotency record per event (two extra writes). Turn it off
   * only for consumers that are idempotent by construction, e.g. a put keyed by the event id.
   * @default true
   */
  idempotent?: boolean;
  /**
   * Swap a claim-checked event's full `data` in from S3 (hash checked) before `run` sees it.
   * Off only for a consumer that keeps the pointer itself (the journal).
   * @default true
   */
  resolveData?: boolean;
  /** Injected for tests. @default the exports bucket */
  payloads?: PayloadStore;
}

/**
 * A claim-checked event (see `detailForBus`) with its whole `data` read back from S3, its size
 * and SHA-256 checked; any other event unchanged. A missing or altered object throws, so the bus
 * retries and then dead-letters the event rather than a consumer acting on partial data.
 */
export async function withResolvedData(
  event: BusEvent,
  payloads: PayloadStore | undefined = s3PayloadStore(),
): Promise<BusEvent> {
  const ref = event.detail.dataRef;
  if (!ref) return event;
  if (!payloads)
    throw new Error(`Event ${event.detail.metadata.eventId} is claim-checked but no bucket is bound`);
  const data = await resolvePayload(payloads, ref);
  const { dataRef: _pointer, ...detail } = event.detail;
  return { ...event, detail: { ...detail, data } };
}

/**
 * Wraps an EventBridge rule target: validates the envelope, resolves a claim-checked `data`,
 * tags logs with the correlation id, and runs the consumer at most once per event (EventBridge
 * delivers at least once).
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
    const parsed = busEventSchema.parse(raw);
    const event =
      options.resolveData === false
        ? parsed
        : await withResolvedData(parsed, options.payloads ?? s3PayloadStore());
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
