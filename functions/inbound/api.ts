/**
 * Inbound's front door: the events, types and functions other contexts, the deployer and the
 * console may use. Nothing else under `functions/inbound/` is imported from outside it.
 */
import { dynamoInboundStore } from './adapters/inbound-store.ts';
import { type IncomingStock, incomingByLocation } from './core/incoming.ts';

export type { IncomingStock } from './core/incoming.ts';
export { GoodsReceived } from './events/goods-received.ts';
export { PurchaseOrderCancelled } from './events/purchase-order-cancelled.ts';
export { PurchaseOrderPlaced } from './events/purchase-order-placed.ts';
export { PutawayCompleted } from './events/putaway-completed.ts';
export { ReceivingExceptionRaised } from './events/receiving-exception-raised.ts';
export type { PoStatus, Supplier, SupplierBody } from './schemas/inbound.ts';
export type { AsnView, PurchaseOrderSummary, PurchaseOrderView } from './views/inbound-views.ts';

let store: ReturnType<typeof dynamoInboundStore> | undefined;

/**
 * Units of a SKU on open purchase orders (ordered − received) per location, with each PO's
 * expected day. Read from an index, so a PO placed a moment ago may be missing for a moment.
 */
export async function incomingFor(sku: string): Promise<IncomingStock[]> {
  store ??= dynamoInboundStore();
  return incomingByLocation(await store.incomingLines(sku));
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
export { CountVariancePosted } from './events/count-variance-posted.ts';
