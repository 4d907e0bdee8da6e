import { PickShorted, ShipmentConfirmed } from '#fulfillment/api';
import { CountSubmitted, GoodsReceived, PutawayCompleted } from '#inbound/api';
import { StockAdjusted } from '#inventory/api';
import { OrderBackordered, OrderCancelled, OrderReceived, OrderReleased } from '#orders/api';
import { ReturnReceived } from '#returns/api';
import type { BusEvent } from '#shared/events';
import { kpiStore } from '../adapters/wiring.ts';
import { type KpiFact, kpiChange } from '../core/kpis.ts';

const store = kpiStore();

const sum = (lines: readonly { quantity: number }[]) => lines.reduce((n, l) => n + l.quantity, 0);

/** The KPI fact an event carries, or undefined for an event the rule should not have sent. */
function factOf(event: BusEvent): KpiFact | undefined {
  const data = event.detail.data;
  const at = event.detail.metadata.occurredAt;
  switch (event['detail-type']) {
    case OrderReceived.detailType: {
      const d = OrderReceived.data.parse(data);
      return { kind: 'received', orderId: d.orderId, channelId: d.channelId, at, lines: d.lines };
    }
    case OrderReleased.detailType: {
      const d = OrderReleased.data.parse(data);
      return {
        kind: 'released',
        orderId: d.orderId,
        locationId: d.locationId,
        at: d.releasedAt,
        units: sum(d.lines),
      };
    }
    case OrderBackordered.detailType: {
      const d = OrderBackordered.data.parse(data);
      return {
        kind: 'backordered',
        orderId: d.orderId,
        at: d.at,
        lines: d.lines.length,
        units: sum(d.lines),
      };
    }
    case OrderCancelled.detailType:
      return { kind: 'cancelled', orderId: OrderCancelled.data.parse(data).orderId };
    case ShipmentConfirmed.detailType: {
      const d = ShipmentConfirmed.data.parse(data);
      return {
        kind: 'shipped',
        orderId: d.orderId,
        channelId: d.channelId,
        locationId: d.locationId,
        at: d.shippedAt,
        lines: d.lines,
      };
    }
    case PickShorted.detailType: {
      const d = PickShorted.data.parse(data);
      return { kind: 'short', orderId: d.orderId, locationId: d.locationId, at: d.at, units: sum(d.lines) };
    }
    case PutawayCompleted.detailType: {
      const d = PutawayCompleted.data.parse(data);
      return {
        kind: 'putaway',
        locationId: d.locationId,
        at: d.putAwayAt,
        ...(d.dockToStockSeconds === undefined ? {} : { dockToStockSeconds: d.dockToStockSeconds }),
      };
    }
    case GoodsReceived.detailType: {
      const d = GoodsReceived.data.parse(data);
      return {
        kind: 'goods',
        sku: d.sku,
        locationId: d.locationId,
        quantity: d.quantity,
        unitCostMinor: d.unitCostMinor,
        good: d.condition === 'good',
      };
    }
    case CountSubmitted.detailType: {
      const d = CountSubmitted.data.parse(data);
      return { kind: 'counted', locationId: d.locationId, at: d.submittedAt, lines: d.lines };
    }
    case StockAdjusted.detailType: {
      const d = StockAdjusted.data.parse(data);
      return { kind: 'adjusted', locationId: d.locationId, at, delta: d.delta, available: d.available };
    }
    case ReturnReceived.detailType:
      return { kind: 'returned', orderId: ReturnReceived.data.parse(data).orderId };
    default:
      return undefined;
  }
}

/**
 * The KPI projection: each event's counters added to its day and location once — the event's
 * marker is written in the same transaction as the counters, so a redelivery adds nothing and a
 * failure leaves nothing half-counted (hence no separate idempotency record).
 */
export async function projectKpis(event: BusEvent): Promise<void> {
  const fact = factOf(event);
  if (!fact) return;
  await store.apply(event.detail.metadata.eventId, await kpiChange(store, fact));
}
