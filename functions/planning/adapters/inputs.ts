import { ShipmentConfirmed } from '#fulfillment/api';
import {
  GoodsReceived,
  PurchaseOrderCancelled,
  PurchaseOrderPlaced,
  ReceivingExceptionRaised,
} from '#inbound/api';
import { OrderBackordered, OrderCancelled, OrderReleased } from '#orders/api';
import type { BusEvent } from '#shared/events';
import { dynamoPlanningStore } from './planning-store.ts';

const store = dynamoPlanningStore();

/**
 * Shipments → demand per SKU × location × ship day; backorders open and close; POs placed,
 * received, excepted and cancelled → supplier performance and each SKU's supplier. Once per
 * event (the wrapper's idempotency record), since shipments and receipts add up.
 */
export async function learnFrom(event: BusEvent): Promise<void> {
  const data = event.detail.data;
  switch (event['detail-type']) {
    case ShipmentConfirmed.detailType: {
      const d = ShipmentConfirmed.data.parse(data);
      const day = d.shippedAt.slice(0, 10);
      const bySku = new Map<string, number>();
      for (const l of d.lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
      for (const [sku, q] of bySku) await store.addShipped(sku, d.locationId, day, q);
      return;
    }
    case OrderBackordered.detailType: {
      const d = OrderBackordered.data.parse(data);
      await store.putBackorder(
        d.orderId,
        d.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        d.at,
      );
      return;
    }
    case OrderReleased.detailType: {
      const d = OrderReleased.data.parse(data);
      await store.clearBackorder(d.orderId, d.releasedAt);
      return;
    }
    case OrderCancelled.detailType: {
      const d = OrderCancelled.data.parse(data);
      await store.clearBackorder(d.orderId, d.cancelledAt);
      return;
    }
    case PurchaseOrderPlaced.detailType: {
      const d = PurchaseOrderPlaced.data.parse(data);
      await store.poPlaced({
        poId: d.poId,
        supplierId: d.supplierId,
        placedAt: d.placedAt,
        expectedAt: d.expectedAt,
        lines: d.lines,
      });
      return;
    }
    case GoodsReceived.detailType: {
      const d = GoodsReceived.data.parse(data);
      // Damaged units arrived but do not fill the order; they come as a receiving exception too.
      if (d.condition === 'good') await store.poReceived(d.poId, d.sku, d.quantity, d.receivedAt);
      return;
    }
    case ReceivingExceptionRaised.detailType: {
      const d = ReceivingExceptionRaised.data.parse(data);
      await store.poException(d.poId);
      return;
    }
    case PurchaseOrderCancelled.detailType: {
      const d = PurchaseOrderCancelled.data.parse(data);
      await store.poCancelled(d.poId);
      return;
    }
  }
}
