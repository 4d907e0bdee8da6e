import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { orderPorts } from '../adapters/wiring.ts';
import { ORDER_STATUSES, type OrderStatusName } from '../core/order-view.ts';

const { queries: orders } = orderPorts();

const DAY_MS = 86_400_000;

const query = z.object({ days: z.coerce.number().int().min(1).max(92).default(14) });

/**
 * GET /api/orders/backlog?days=14 → { since, days: [{ date, counts: { <status>: n } }], truncated }:
 * the orders placed on each of the last `days` UTC days (today included), by the status each is in
 * now, read from the status index. A day's open statuses are what is still owed from that day;
 * the status index keeps no history, so this is today's view of each day, not a replay.
 */
export const handler = httpHandler({ query }, async ({ query: q }) => {
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
  const dates = Array.from({ length: q.days }, (_, i) =>
    new Date(today - (q.days - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
  const since = dates[0] as string;
  const { byDay, truncated } = await orders.backlog(since);
  const zero = () => Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatusName, number>;
  return ok({
    since,
    days: dates.map((date) => ({ date, counts: { ...zero(), ...byDay.get(date) } })),
    truncated,
  });
});
