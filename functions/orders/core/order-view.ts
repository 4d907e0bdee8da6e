import type { ReleaseFields } from '../release/schemas.ts';
import type { StoredOrder } from '../schemas/canonical-order.ts';

/** An order as the API shows it: the canonical order plus its id and status, no bookkeeping. */
export function orderView(order: StoredOrder) {
  const { lastEvent: _event, deliveries: _deliveries, ...view } = order;
  return view;
}

/**
 * Every status an order can be in, in the order it moves through them. Each is a work queue:
 * the order item carries `ORDERSTATUS#<status>` in gsi2 (see `keys.ts`).
 */
export const ORDER_STATUSES = [
  'received',
  'on_hold',
  'backordered',
  'released',
  'picking',
  'packed',
  /** Some node's part has shipped, the rest has not (yet). */
  'partially_shipped',
  'shipped',
  'cancelled',
  'failed',
] as const;
export type OrderStatusName = (typeof ORDER_STATUSES)[number];

/** The fields of an order item a summary is made from (what the listing reads). */
export type SummarySource = Pick<
  StoredOrder,
  'orderId' | 'channelId' | 'externalId' | 'externalNumber' | 'status' | 'placedAt' | 'lines'
> &
  Partial<Pick<ReleaseFields, 'holds' | 'shipments'>>;

/** One row of `GET /api/orders`: enough to work a queue, not the whole order. */
export interface OrderSummary {
  orderId: string;
  channelId: string;
  externalId: string;
  /** The channel's human order number (Shopify "#2047"), when it has one. */
  externalNumber?: string;
  status: string;
  placedAt: string;
  lineCount: number;
  /** Units over all lines. */
  units: number;
  /** Holds not yet released. */
  openHolds: number;
  /** Whole seconds since `placedAt`, when the answer was made. */
  ageSeconds: number;
  /** The locations the order is allocated to (its shipments'), each once. */
  locationIds: string[];
}

export function orderSummary(order: SummarySource, now = Date.now()): OrderSummary {
  const placed = Date.parse(order.placedAt);
  const lines = order.lines ?? []; // never empty once stored; read defensively all the same
  return {
    orderId: order.orderId,
    channelId: order.channelId,
    externalId: order.externalId,
    ...(order.externalNumber ? { externalNumber: order.externalNumber } : {}),
    status: order.status,
    placedAt: order.placedAt,
    lineCount: lines.length,
    units: lines.reduce((sum, line) => sum + line.quantity, 0),
    openHolds: Object.values(order.holds ?? {}).filter((h) => h.status === 'open').length,
    ageSeconds: Number.isNaN(placed) ? 0 : Math.max(0, Math.floor((now - placed) / 1000)),
    locationIds: [...new Set(Object.values(order.shipments ?? {}).map((s) => s.locationId))].sort(),
  };
}

/** Whether the order was allocated to the location: one of its shipments (reservations) is there. */
export const allocatedTo = (order: Pick<SummarySource, 'shipments'>, locationId: string): boolean =>
  Object.values(order.shipments ?? {}).some((s) => s.locationId === locationId);
