import { FulfillmentContention, FulfillmentNotFound } from '../errors.ts';
import { ShipmentConfirmed } from '../events/shipment-confirmed.ts';
import type { FulfillmentLine, Shipment } from '../schemas/fulfillment.ts';
import { FulfillmentCancelledConflict, NotPacked } from '../shipping-errors.ts';
import { fulfillmentEvent } from './event-ids.ts';
import { type Actor, publishPacked } from './packing.ts';
import { publishOnce } from './publish-once.ts';
import { type ShippingPorts, type ShippingRecord, STAGING_BIN } from './shipping-ports.ts';

const ATTEMPTS = 5;

export interface ShipBody {
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl?: string;
}

/**
 * The parcel leaves: inventory consumes the reservation from STAGING (on hand and reserved drop
 * together), the fulfillment is `shipped` with its shipment, ShipmentConfirmed goes out once and
 * the workflow ends. Only a packed fulfillment ships (NOT_PACKED). A repeat answers the same
 * shipment and publishes nothing new (`changed: false`).
 */
export async function ship(
  ports: ShippingPorts,
  fulfillmentId: string,
  body: ShipBody,
  who: Actor,
): Promise<{ fulfillment: ShippingRecord; changed: boolean }> {
  let consumed = false;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const f = await ports.shipments.load(fulfillmentId);
    if (!f) throw new FulfillmentNotFound(fulfillmentId);
    if (f.status === 'shipped') {
      // A repeat (or a retry whose answer was lost): finish what the first call may not have.
      await announceShipped(ports, f);
      return { fulfillment: f, changed: false };
    }
    if (!consumed) {
      if (f.cancelRequested || f.status === 'cancelled')
        throw new FulfillmentCancelledConflict(fulfillmentId);
      if (f.status !== 'packed') throw new NotPacked(fulfillmentId, f.status);
      // Inventory settles a race with a cancel: the reservation is either consumed here or
      // released by the Cancel step, never both. Idempotent by reservation: a second ship racing
      // this one consumes nothing twice.
      await ports.inventory.consume(
        { reservationId: f.reservationId, picks: stagingPicks(f), reason: 'shipment' },
        who,
      );
      // The units are gone: from here the shipment is recorded whatever was asked meanwhile.
      consumed = true;
    }
    const shipment: Shipment = {
      shipmentId: f.fulfillmentId,
      carrier: body.carrier,
      service: body.service,
      trackingNumber: body.trackingNumber,
      ...(body.trackingUrl ? { trackingUrl: body.trackingUrl } : {}),
      shippedAt: ports.clock().toISOString(),
      shippedBy: who.actor,
    };
    if (await ports.shipments.markShipped(f, shipment)) {
      const shipped: ShippingRecord = {
        ...f,
        status: 'shipped',
        shipment,
        updatedAt: shipment.shippedAt,
        version: f.version + 1,
      };
      await announceShipped(ports, shipped, who.correlationId);
      return { fulfillment: shipped, changed: true };
    }
  }
  throw new FulfillmentContention(`Fulfillment ${fulfillmentId}`);
}

/** Every packed unit leaves STAGING, per SKU (two lines of one SKU make one pick). */
export function stagingPicks(f: Pick<ShippingRecord, 'lines' | 'locationId'>) {
  const bySku = new Map<string, number>();
  for (const l of f.lines) if (l.quantity > 0) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
  return [...bySku].map(([sku, quantity]) => ({
    sku,
    locationId: f.locationId,
    binId: STAGING_BIN,
    quantity,
  }));
}

/**
 * The shipped units as the channel knows its order: a plain line as it is; a kit's components
 * collapse back into the kit's line, counting the kits complete in the parcel (units of each
 * component over its units per kit, the fewest of them).
 */
export function orderLinesShipped(lines: readonly FulfillmentLine[]) {
  const out = new Map<string, { lineId: string; sku: string; quantity: number }>();
  const kits = new Map<string, { lineId: string; kitSku: string; kits: number }>();
  for (const l of lines) {
    if (l.quantity <= 0) continue;
    if (!l.kitSku) {
      const key = `${l.lineId}\u0000${l.sku}`;
      const seen = out.get(key);
      if (seen) seen.quantity += l.quantity;
      else out.set(key, { lineId: l.lineId, sku: l.sku, quantity: l.quantity });
      continue;
    }
    const complete = Math.floor(l.quantity / Math.max(1, l.unitsPerKit ?? 1));
    const key = `${l.lineId}\u0000${l.kitSku}`;
    const seen = kits.get(key);
    if (seen) seen.kits = Math.min(seen.kits, complete);
    else kits.set(key, { lineId: l.lineId, kitSku: l.kitSku, kits: complete });
  }
  for (const [key, k] of kits)
    if (k.kits > 0) out.set(key, { lineId: k.lineId, sku: k.kitSku, quantity: k.kits });
  return [...out.values()];
}

/**
 * What a shipped fulfillment owes the rest of the system: FulfillmentPacked and
 * ShipmentConfirmed once each (publishOnce; their ids derive from the fulfillment), and the
 * workflow told. Safe to repeat: the ship command's retries and the workflow's await step both
 * do. True when both events are out, false while another publisher holds a claim.
 */
export async function announceShipped(ports: ShippingPorts, f: ShippingRecord, correlationId?: string) {
  if (!f.shipment) return true;
  const packedOut = await publishPacked(ports, f, correlationId);
  const shippedOut = await publishOnce(
    ports,
    f,
    fulfillmentEvent(
      ShipmentConfirmed,
      {
        shipmentId: f.shipment.shipmentId,
        fulfillmentId: f.fulfillmentId,
        orderId: f.orderId,
        channelId: f.channelId,
        externalId: f.externalId,
        locationId: f.locationId,
        reservationId: f.reservationId,
        lines: orderLinesShipped(f.lines),
        carrier: f.shipment.carrier,
        service: f.shipment.service,
        trackingNumber: f.shipment.trackingNumber,
        ...(f.shipment.trackingUrl ? { trackingUrl: f.shipment.trackingUrl } : {}),
        packages: f.packages?.length ?? 0,
        shippedAt: f.shipment.shippedAt,
      },
      f.fulfillmentId,
      f.shipment.shippedAt,
      correlationId ?? f.fulfillmentId,
    ),
  );
  await ports.signals.advance(f.fulfillmentId, 'shipped');
  return packedOut && shippedOut;
}
