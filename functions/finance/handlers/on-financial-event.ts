import { eventHandler } from '#shared/event-handler';
import { financePorts } from '../adapters/wiring.ts';
import { postEvent } from '../core/posting-service.ts';

const ports = financePorts();

/** Receipts, shipments, short picks, adjustments → balanced entries; order events → their prices. */
export const handler = eventHandler(
  'finance-postings',
  async (event) =>
    postEvent(ports, {
      eventId: event.detail.metadata.eventId,
      detailType: event['detail-type'],
      occurredAt: event.detail.metadata.occurredAt,
      data: event.detail.data,
    }),
  // Idempotent by construction: each entry's id is its source event's, written only if new.
  { idempotent: false },
);
