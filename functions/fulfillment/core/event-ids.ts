import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { createEvent, type DomainEvent, type EventDefinition } from '#shared/events';

/**
 * An event whose id derives from what it announces (a wave, a task × fulfillment, a fulfillment ×
 * cutoff), so a retried command re-sends the same event and consumers see it once.
 */
export function fulfillmentEvent<T extends z.ZodType>(
  def: EventDefinition<T>,
  data: z.input<T>,
  key: string,
  at: string,
  correlationId: string,
): DomainEvent {
  const event = createEvent(def, data, { correlationId, now: () => new Date(at) });
  const h = createHash('sha256').update(`${def.detailType}\n${key}`).digest('hex');
  event.detail.metadata.eventId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return event;
}
