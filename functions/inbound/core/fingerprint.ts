import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { createEvent, type DomainEvent, type EventDefinition } from '#shared/events';

/** A stable hash of a document's defining fields (callers sort lists first). */
export const fingerprintOf = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * An event whose id and time derive from what it announces, so a repeated command (or a retry
 * after a crash between write and publish) re-sends the identical event and consumers see it once.
 */
export function inboundEvent<T extends z.ZodType>(
  def: EventDefinition<T>,
  data: z.input<T>,
  key: string,
  at: string,
  correlationId: string,
): DomainEvent {
  const event = createEvent(def, data, { correlationId, now: () => new Date(at) });
  const h = fingerprintOf(`${def.detailType}\n${key}`);
  event.detail.metadata.eventId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return event;
}
