import type { BusEvent } from '#shared/events';
import type { DataRef } from '#shared/payload-store';

/** Fields in an event's data that name what the event is about, most specific first. */
const SUBJECT_FIELDS = ['orderId', 'reservationId', 'rmaId', 'waveId', 'shipmentId', 'sku'] as const;

/** The entities an event is about, so a timeline per order or SKU is one query. */
export function subjectsOf(event: BusEvent): string[] {
  const data = event.detail.data;
  if (!data || typeof data !== 'object') return [];
  const record = data as Record<string, unknown>;
  return SUBJECT_FIELDS.flatMap((field) => {
    const value = record[field];
    return typeof value === 'string' && value ? [`${field}:${value}`] : [];
  });
}

export interface JournalEntry {
  eventId: string;
  source: string;
  detailType: string;
  occurredAt: string;
  correlationId: string;
  subject?: string;
  data: unknown;
  /** Set when the event was claim-checked: `data` then holds only its short top-level fields. */
  dataRef?: DataRef;
}

export function toJournalEntry(event: BusEvent): JournalEntry {
  const subject = subjectsOf(event)[0];
  return {
    eventId: event.detail.metadata.eventId,
    source: event.source,
    detailType: event['detail-type'],
    occurredAt: event.detail.metadata.occurredAt,
    correlationId: event.detail.metadata.correlationId,
    ...(subject ? { subject } : {}),
    data: event.detail.data,
    ...(event.detail.dataRef ? { dataRef: event.detail.dataRef } : {}),
  };
}
