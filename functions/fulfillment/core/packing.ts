import { FulfillmentContention, FulfillmentNotFound } from '../errors.ts';
import { FulfillmentPacked } from '../events/fulfillment-packed.ts';
import type { FulfillmentLine, PackageInput } from '../schemas/fulfillment.ts';
import {
  AlreadyPacked,
  ExtraUnit,
  FulfillmentCancelledConflict,
  NotPicked,
  PackIncomplete,
  PackWrongItem,
} from '../shipping-errors.ts';
import { fulfillmentEvent } from './event-ids.ts';
import { publishOnce } from './publish-once.ts';
import type { ShippingPorts, ShippingRecord } from './shipping-ports.ts';

/** Optimistic writes lose to a concurrent pick or scan now and then: read again and retry. */
const ATTEMPTS = 5;

export interface Actor {
  actor: string;
  correlationId: string;
}

/** Units of a line picked but not yet scanned into a parcel. */
const unscanned = (l: FulfillmentLine) => l.picked - l.packed;
/** Units of a line still missing from the parcels (`quantity` is after shorts). */
const unpacked = (l: FulfillmentLine) => l.quantity - l.packed;

function assertPackable(f: ShippingRecord) {
  if (f.cancelRequested || f.status === 'cancelled') throw new FulfillmentCancelledConflict(f.fulfillmentId);
  if (f.status !== 'picked') throw new NotPicked(f.fulfillmentId, f.status);
}

/**
 * One unit into the parcel. The code is a catalog barcode or the SKU code of one of the lines;
 * it counts on the first line of that SKU with units still to pack. Another code is WRONG_ITEM,
 * one unit more than was picked is EXTRA_UNIT; only a picked fulfillment takes pack scans.
 * `scanId` (optional) makes a retried scan count once.
 */
export async function packScan(
  ports: ShippingPorts,
  fulfillmentId: string,
  scan: { code: string; scanId?: string },
): Promise<ShippingRecord> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const f = await ports.shipments.load(fulfillmentId);
    if (!f) throw new FulfillmentNotFound(fulfillmentId);
    if (scan.scanId && f.packScanIds?.includes(scan.scanId)) return f;
    assertPackable(f);
    const sku = await skuOfCode(ports, f.lines, scan.code);
    if (!sku) throw new PackWrongItem(fulfillmentId, scan.code);
    const index = f.lines.findIndex((l) => l.sku === sku && unscanned(l) > 0);
    if (index < 0) throw new ExtraUnit(fulfillmentId, scan.code, sku);
    const lines = f.lines.map((l, i) => (i === index ? { ...l, packed: l.packed + 1 } : l));
    const at = ports.clock().toISOString();
    if (await ports.shipments.recordPackScan(f, lines, at, scan.scanId)) {
      return { ...f, lines, updatedAt: at, version: f.version + 1 };
    }
  }
  throw new FulfillmentContention(`Fulfillment ${fulfillmentId}`);
}

/** The line SKU a scanned code stands for: the SKU code itself, else one of its catalog barcodes. */
async function skuOfCode(
  ports: ShippingPorts,
  lines: readonly FulfillmentLine[],
  code: string,
): Promise<string | undefined> {
  const skus = [...new Set(lines.map((l) => l.sku))];
  if (skus.includes(code)) return code;
  const barcodes = await ports.barcodes(skus);
  return skus.find((sku) => barcodes.get(sku)?.includes(code));
}

/**
 * Weights and dimensions of the parcels, once every unit was scanned (PACK_INCOMPLETE
 * otherwise): status `packed`, FulfillmentPacked, and the workflow moves on to shipping.
 * The same packages again answer the packed fulfillment unchanged.
 */
export async function putPackages(
  ports: ShippingPorts,
  fulfillmentId: string,
  packages: PackageInput[],
  who: Actor,
): Promise<{ fulfillment: ShippingRecord; changed: boolean }> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const f = await ports.shipments.load(fulfillmentId);
    if (!f) throw new FulfillmentNotFound(fulfillmentId);
    if (f.status === 'packed' || f.status === 'shipped') {
      if (JSON.stringify(f.packages ?? []) !== JSON.stringify(packages))
        throw new AlreadyPacked(fulfillmentId);
      // A retry whose first answer was lost: make sure what it announced is out.
      await publishPacked(ports, f);
      if (f.status === 'packed') await ports.signals.advance(fulfillmentId, 'packed');
      return { fulfillment: f, changed: false };
    }
    assertPackable(f);
    const missing = f.lines
      .filter((l) => unpacked(l) > 0)
      .map((l) => ({ lineId: l.lineId, sku: l.sku, missing: unpacked(l) }));
    if (missing.length > 0) throw new PackIncomplete(fulfillmentId, missing);
    const at = ports.clock().toISOString();
    if (await ports.shipments.markPacked(f, packages, at, who.actor)) {
      const packed: ShippingRecord = {
        ...f,
        status: 'packed',
        packages,
        packedAt: at,
        packedBy: who.actor,
        updatedAt: at,
        version: f.version + 1,
      };
      await publishPacked(ports, packed, who.correlationId);
      await ports.signals.advance(fulfillmentId, 'packed');
      return { fulfillment: packed, changed: true };
    }
  }
  throw new FulfillmentContention(`Fulfillment ${fulfillmentId}`);
}

/**
 * Publishes FulfillmentPacked unless it went out already (publishOnce). Its id derives from the
 * fulfillment, so every publisher sends the same event. True when nothing is left to publish;
 * false while another publisher holds the claim.
 */
export function publishPacked(ports: ShippingPorts, f: ShippingRecord, correlationId?: string) {
  if (!f.packages || !f.packedAt) return Promise.resolve(true);
  return publishOnce(
    ports,
    f,
    fulfillmentEvent(
      FulfillmentPacked,
      {
        fulfillmentId: f.fulfillmentId,
        orderId: f.orderId,
        locationId: f.locationId,
        packages: f.packages,
        at: f.packedAt,
      },
      f.fulfillmentId,
      f.packedAt,
      correlationId ?? f.fulfillmentId,
    ),
  );
}
