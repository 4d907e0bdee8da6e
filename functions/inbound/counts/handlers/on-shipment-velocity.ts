import { ShipmentConfirmed } from '#fulfillment/api';
import { eventHandler } from '#shared/event-handler';
import { dynamoCountStore } from '../adapters/count-store.ts';

const store = dynamoCountStore();

/** Each shipment adds its units per SKU to the month's velocity (the ABC classes' units), once. */
export const handler = eventHandler(
  'inbound-count-velocity',
  async (event) => {
    const data = ShipmentConfirmed.data.parse(event.detail.data);
    const units = new Map<string, number>();
    for (const l of data.lines) units.set(l.sku, (units.get(l.sku) ?? 0) + l.quantity);
    await store.recordShipment(event.detail.metadata.eventId, data.shippedAt.slice(0, 7), units);
  },
  // Idempotent by construction: a marker per event is written with its counters.
  { idempotent: false },
);
