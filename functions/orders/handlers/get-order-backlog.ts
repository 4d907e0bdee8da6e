import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { orderPorts } from '../adapters/wiring.ts';
import { backlogByDay } from '../core/backlog.ts';

const { queries: orders } = orderPorts();

const DAY_MS = 86_400_000;

const query = z.object({ days: z.coerce.number().int().min(1).max(92).default(14) });

/** How far before the window shipped and cancelled orders are read: they were open in it if they closed in it. */
const CLOSED_LOOKBACK_DAYS = 92;

/**
 * GET /api/orders/backlog?days=14 → { since, days: [{ date, counts: { <status>: n } }], truncated }:
 * the backlog as it stood at the end of each of the last `days` UTC days (today: now), replayed
 * from the orders' status histories — for each open status the orders in it then, for shipped
 * and cancelled the orders that got there that day (see core/backlog.ts).
 */
export const handler = httpHandler({ query }, async ({ query: q }) => {
  const now = new Date();
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const dates = Array.from({ length: q.days }, (_, i) =>
    new Date(today - (q.days - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
  const since = dates[0] as string;
  const closedSince = new Date(Date.parse(since) - CLOSED_LOOKBACK_DAYS * DAY_MS).toISOString().slice(0, 10);
  const { orders: read, truncated } = await orders.backlogOrders(closedSince);
  const byDay = backlogByDay(read, dates, now);
  return ok({ since, days: dates.map((date) => ({ date, counts: byDay.get(date) })), truncated });
});
