/**
 * Fulfillment's front door: the events and types other contexts, the deployer and the console
 * may use. Nothing else under `functions/fulfillment/` is imported from outside it.
 */
import { derivedEvent } from '#shared/events';
import { dynamoFulfillmentStore } from './adapters/fulfillment-store.ts';
import { ShipmentConfirmed } from './events/shipment-confirmed.ts';

export { CutoffAtRisk } from './events/cutoff-at-risk.ts';
export { FulfillmentPacked } from './events/fulfillment-packed.ts';
export { PickShorted } from './events/pick-shorted.ts';
export { ShipmentConfirmed } from './events/shipment-confirmed.ts';
export { WaveReleased } from './events/wave-released.ts';
export type {
  BinType,
  Carrier,
  CarrierBody,
  Fulfillment,
  FulfillmentLine,
  FulfillmentStatus,
  PickTask,
  Wave,
} from './schemas/fulfillment.ts';

let store: ReturnType<typeof dynamoFulfillmentStore> | undefined;

/** What one shipped fulfillment of an order sent out, per physical SKU (kit lines as their components). */
export interface ShippedParcel {
  fulfillmentId: string;
  locationId: string;
  shippedAt: string;
  lines: { sku: string; quantity: number }[];
}

/**
 * The shipped fulfillments of an order (returns check a request against them). Read from an
 * index, so a shipment confirmed a moment ago may be missing for a moment.
 */
export async function shippedParcelsOf(orderId: string): Promise<ShippedParcel[]> {
  store ??= dynamoFulfillmentStore();
  const all = await store.ofOrder(orderId);
  return all
    .filter((f) => f.status === 'shipped' && f.shipment)
    .map((f) => {
      const bySku = new Map<string, number>();
      for (const l of f.lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.packed);
      return {
        fulfillmentId: f.fulfillmentId,
        locationId: f.locationId,
        shippedAt: f.shipment?.shippedAt ?? f.updatedAt,
        lines: [...bySku].filter(([, q]) => q > 0).map(([sku, quantity]) => ({ sku, quantity })),
      };
    });
}

/** A parcel a 3PL shipped for one node's part of an order (its reservation), as it reported it. */
export interface ThirdPartyShipment {
  orderId: string;
  channelId: string;
  externalId: string;
  locationId: string;
  reservationId: string;
  lines: { lineId: string; sku: string; quantity: number }[];
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl?: string;
  shippedAt: string;
}

/**
 * The ShipmentConfirmed a 3PL's parcel announces: the same event our own warehouses publish, so
 * orders, finance and the channel connectors follow it alike. Its id derives from the
 * reservation (one 3PL part ships once), so every re-send is the identical event. The node's
 * reservation must have been consumed first (inventory's reservationTask).
 */
export function thirdPartyShipmentConfirmed(s: ThirdPartyShipment, correlationId: string) {
  const id = `3pl:${s.reservationId}`;
  return derivedEvent(
    ShipmentConfirmed,
    {
      shipmentId: id,
      fulfillmentId: id,
      orderId: s.orderId,
      channelId: s.channelId,
      externalId: s.externalId,
      locationId: s.locationId,
      reservationId: s.reservationId,
      lines: s.lines,
      carrier: s.carrier,
      service: s.service,
      trackingNumber: s.trackingNumber,
      ...(s.trackingUrl ? { trackingUrl: s.trackingUrl } : {}),
      packages: 1,
      shippedAt: s.shippedAt,
    },
    id,
    s.shippedAt,
    correlationId,
  );
}
