/**
 * Inbound's front door: the events, types and functions other contexts, the deployer and the
 * console may use. Nothing else under `functions/inbound/` is imported from outside it.
 */
import { dynamoInboundStore } from './adapters/inbound-store.ts';
import { dynamoPutawayStore } from './adapters/putaway-store.ts';
import { dynamoTransferStore } from './adapters/transfer-store.ts';
import { arrivalsOf, type SkuArrivals } from './core/arrivals.ts';
import { type IncomingStock, incomingByLocation } from './core/incoming.ts';
import { returnPutawayTaskId } from './core/putaway.ts';
import { countPorts } from './counts/adapters/wiring.ts';
import { abcClasses, listVariances } from './counts/core/counts.ts';
import type { AbcClass, CountVariance } from './counts/schemas.ts';
import type { Supplier } from './schemas/inbound.ts';

export type { SkuArrivals } from './core/arrivals.ts';
export type { IncomingStock } from './core/incoming.ts';
export type { ReceiptReport } from './core/receipt-report.ts';
export { GoodsReceived } from './events/goods-received.ts';
export { PurchaseOrderCancelled } from './events/purchase-order-cancelled.ts';
export { PurchaseOrderPlaced } from './events/purchase-order-placed.ts';
export { PutawayCompleted } from './events/putaway-completed.ts';
export { ReceivingExceptionRaised } from './events/receiving-exception-raised.ts';
export { TransferReceived } from './events/transfer-received.ts';
export { TransferShipped } from './events/transfer-shipped.ts';
export type { PoStatus, Supplier, SupplierBody } from './schemas/inbound.ts';
export type { TransferStatus } from './schemas/transfers.ts';
export type { AsnView, PurchaseOrderSummary, PurchaseOrderView } from './views/inbound-views.ts';
export type { TransferView } from './views/transfer-views.ts';

let store: ReturnType<typeof dynamoInboundStore> | undefined;
let putaway: ReturnType<typeof dynamoPutawayStore> | undefined;

/**
 * A putaway task for returned units inspection restocked (they wait in the location's RECEIVING
 * bin, available): the handheld's putaway list shows it beside the dock's, with a bin suggested.
 * Idempotent by `key` (the return's inspection line): a repeat creates nothing.
 */
export async function createReturnPutaway(cmd: {
  returnId: string;
  key: string;
  locationId: string;
  sku: string;
  quantity: number;
  at: string;
}): Promise<string> {
  putaway ??= dynamoPutawayStore();
  const taskId = returnPutawayTaskId(cmd.returnId, cmd.key);
  await putaway.create({
    taskId,
    asnId: `return:${cmd.returnId}`,
    scanId: cmd.key,
    poId: '',
    returnId: cmd.returnId,
    locationId: cmd.locationId,
    sku: cmd.sku,
    quantity: cmd.quantity,
    status: 'open',
    createdAt: cmd.at,
  });
  return taskId;
}
let transfers: ReturnType<typeof dynamoTransferStore> | undefined;

/**
 * Units of a SKU on open purchase orders (ordered − received) and on transfers in transit per
 * location, with each PO's and transfer's expected day. Read from indexes, so a PO placed or a
 * transfer shipped a moment ago may be missing for a moment.
 */
export async function incomingFor(sku: string): Promise<IncomingStock[]> {
  store ??= dynamoInboundStore();
  transfers ??= dynamoTransferStore();
  const [lines, inTransit] = await Promise.all([store.incomingLines(sku), transfers.inTransit(sku)]);
  return incomingByLocation(lines, inTransit);
}

/**
 * For order release's backorder promises: per SKU, the units expected per location and day (open
 * POs, transfers in transit) and the shortest lead time of the suppliers it has open POs with.
 */
export async function arrivalsFor(skus: readonly string[]): Promise<Map<string, SkuArrivals>> {
  store ??= dynamoInboundStore();
  transfers ??= dynamoTransferStore();
  const s = store;
  const t = transfers;
  const leadTimes = new Map<string, Promise<number | undefined>>();
  const leadTimeOf = (poId: string) => {
    let found = leadTimes.get(poId);
    if (!found) {
      found = s
        .purchaseOrder(poId)
        .then(async (po) => po && (await s.getSupplier(po.po.supplierId))?.leadTimeDays);
      leadTimes.set(poId, found);
    }
    return found;
  };
  const out = new Map<string, SkuArrivals>();
  await Promise.all(
    skus.map(async (sku) => {
      const [lines, inTransit] = await Promise.all([s.incomingLines(sku), t.inTransit(sku)]);
      out.set(sku, await arrivalsOf(lines, inTransit, leadTimeOf));
    }),
  );
  return out;
}

/** Every supplier with its lead time, MOQ and case pack (planning's suggested POs). */
export async function allSuppliers(): Promise<Supplier[]> {
  store ??= dynamoInboundStore();
  return store.listSuppliers();
}

/** Each SKU's ABC class by value velocity, as cycle counts compute it; a SKU not listed is C. */
export async function abcClassMap(): Promise<Map<string, AbcClass>> {
  const answer = await abcClasses(countPorts());
  return new Map(answer.items.map((r) => [r.sku, r.class] as const));
}

// Cycle counts: the event finance posts, and the shapes the console shows.
export type { AbcRow } from './counts/core/abc.ts';
export type {
  AbcAnswer,
  AccuracyAnswer,
  AccuracyFigures,
  CountTaskView,
  RaisedTask,
} from './counts/core/counts.ts';
export type { AbcClass, CountSettings, CountVariance, VarianceStatus } from './counts/schemas.ts';
export { CountSubmitted } from './events/count-submitted.ts';
export { CountVariancePosted } from './events/count-variance-posted.ts';

let counts: ReturnType<typeof countPorts> | undefined;

/** Count variances waiting for a supervisor (beyond tolerance, or refused by inventory). */
export async function pendingCountVariances(): Promise<CountVariance[]> {
  counts ??= countPorts();
  return (await listVariances(counts, 'pending')).items;
}
