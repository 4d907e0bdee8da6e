import { endpoints } from '../../api/endpoints.ts';
import type { OrderCounts, OrderQuery, OrderStatusName, OrderSummary, OrderView } from '../../api/types.ts';
import { isDeclared } from '../../app/access.ts';
import { useResource } from '../../app/use-resource.ts';

/** Every order status (a Record: the typecheck fails when the API gains one this misses), in flow order. */
export const STATUS_LABELS: Record<OrderStatusName, string> = {
  received: 'Received',
  on_hold: 'On hold',
  backordered: 'Backordered',
  released: 'Released',
  picking: 'Picking',
  packed: 'Packed',
  partially_shipped: 'Partially shipped',
  shipped: 'Shipped',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

export const ORDER_STATUSES = Object.keys(STATUS_LABELS) as OrderStatusName[];

export const isOrderStatus = (s: string | null): s is OrderStatusName =>
  (ORDER_STATUSES as readonly string[]).includes(s ?? '');

/** Counts are one page of the listing: exact up to this many, "100+" beyond. */
export const COUNT_LIMIT = 100;

const COUNTS_ROUTE = 'GET /api/orders/counts';

/** Each status's count as shown ("12", "100+"), and the at-risk queue's. */
export type StatusCounts = Partial<Record<OrderStatusName | 'at_risk', string>>;

/**
 * A count per status under the same filters as the list. Without a channel or time filter the
 * counts route answers exact counts from the status index in one call; with one, each count is
 * one page of at most 100 summaries ("+" when there are more), cheap enough for a work queue.
 */
export function useStatusCounts(
  key: string | null,
  statuses: readonly OrderStatusName[],
  filters: Omit<OrderQuery, 'status' | 'limit' | 'cursor'> = {},
) {
  const exact = isDeclared(COUNTS_ROUTE) && !filters.channelId && !filters.from && !filters.to;
  return useResource<StatusCounts>(
    key === null ? null : `counts:${key}:${statuses.join(',')}`,
    async (signal) => {
      if (exact) {
        const c = await endpoints.orderCounts(
          filters.locationId ? { locationId: filters.locationId } : {},
          signal,
        );
        const more = c.truncated ? '+' : '';
        return {
          ...Object.fromEntries(statuses.map((s) => [s, `${c.counts[s]}${more}`])),
          at_risk: `${c.atRisk.count}${more}`,
        } as StatusCounts;
      }
      const pages = await Promise.all(
        statuses.map((status) => endpoints.listOrders({ ...filters, status, limit: COUNT_LIMIT }, signal)),
      );
      return Object.fromEntries(
        pages.map((p, i) => [statuses[i], `${p.items.length}${p.nextCursor ? '+' : ''}`]),
      ) as StatusCounts;
    },
  );
}

/** Exact counts, the oldest order of each queue and the at-risk count (the Overview's figures). */
export function useOrderCounts(key: string | null, locationId?: string) {
  return useResource<OrderCounts>(
    key === null || !isDeclared(COUNTS_ROUTE) ? null : `order-counts:${key}:${locationId ?? ''}`,
    (signal) => endpoints.orderCounts(locationId ? { locationId } : {}, signal),
  );
}

/** A whole order (the channel order id lookup answers one) as a row of the work queue. */
export function summarize(o: OrderView, now = Date.now()): OrderSummary {
  const placed = Date.parse(o.placedAt);
  return {
    orderId: o.orderId,
    channelId: o.channelId,
    externalId: o.externalId,
    ...(o.externalNumber ? { externalNumber: o.externalNumber } : {}),
    status: o.status,
    placedAt: o.placedAt,
    lineCount: o.lines.length,
    units: o.lines.reduce((n, l) => n + l.quantity, 0),
    openHolds: Object.values(o.holds ?? {}).filter((h) => h.status === 'open').length,
    ageSeconds: Number.isNaN(placed) ? 0 : Math.max(0, Math.floor((now - placed) / 1000)),
    locationIds: [...new Set(Object.values(o.shipments ?? {}).map((s) => s.locationId))].sort(),
  };
}

/** "45 s", "12 min", "5 h 3 min", "3 d 4 h": how long an order has waited since it was placed. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  const days = Math.floor(hours / 24);
  return `${days} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}
