import { ORDER_STATUSES, type OrderStatusName } from './order-view.ts';

/** What the backlog needs of an order: when it was placed, its status now, and how it got there. */
export interface BacklogOrder {
  placedAt: string;
  status: OrderStatusName;
  statusHistory?: readonly { status: string; at: string }[];
}

/** Statuses an order leaves only by exception: a day counts the orders that reached them that day. */
export const CLOSED_STATUSES: readonly OrderStatusName[] = ['shipped', 'cancelled'];

const DAY_MS = 86_400_000;
const isStatus = (s: string): s is OrderStatusName => (ORDER_STATUSES as readonly string[]).includes(s);

/**
 * The backlog as it stood at the end of each UTC day of `dates` (year-first days, oldest first;
 * the last may be today, which ends at `now`): for each status still owed to a customer, the
 * orders in it then, replayed from each order's status history; for shipped and cancelled, the
 * orders that reached them that day. An order is `received` from `placedAt` until its first
 * recorded transition. The history keeps an order's last 50 transitions: days before the oldest
 * kept one count the order as received.
 */
export function backlogByDay(
  orders: Iterable<BacklogOrder>,
  dates: readonly string[],
  now: Date,
): Map<string, Record<OrderStatusName, number>> {
  const starts = dates.map((d) => Date.parse(`${d}T00:00:00.000Z`));
  const ends = starts.map((start) => Math.min(start + DAY_MS, now.getTime()));
  const byDay = new Map(
    dates.map((d) => [
      d,
      Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatusName, number>,
    ]),
  );
  for (const order of orders) {
    const placed = Date.parse(order.placedAt);
    const history = (order.statusHistory ?? [])
      .map((h) => ({ status: h.status, at: Date.parse(h.at) }))
      .filter((h): h is { status: OrderStatusName; at: number } => isStatus(h.status) && !Number.isNaN(h.at))
      .sort((a, b) => a.at - b.at);
    dates.forEach((date, i) => {
      const end = ends[i] as number;
      if (placed >= end) return;
      const last = history.filter((h) => h.at < end).at(-1);
      // No history at all (an order from before it was kept): its status now, as the old view did.
      const status = last?.status ?? (history.length ? 'received' : order.status);
      const counts = byDay.get(date) as Record<OrderStatusName, number>;
      if (!CLOSED_STATUSES.includes(status)) counts[status] += 1;
      else if (last && last.at >= (starts[i] as number)) counts[status] += 1;
    });
  }
  return byDay;
}
