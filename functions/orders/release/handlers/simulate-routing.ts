import { httpHandler, ok } from '#shared/http';
import { releasePorts } from '../adapters/wiring.ts';
import { compare, simulate } from '../core/simulate.ts';
import { simulateBody } from '../schemas.ts';

const ports = releasePorts();

/**
 * POST /api/routing-rules/simulate: replays the last N days of orders under a candidate rule
 * set and under the active one, on a read-only stock snapshot. Writes nothing (not even stock).
 */
export const handler = httpHandler({ body: simulateBody }, async ({ body }) => {
  const since = new Date(Date.now() - body.days * 86_400_000).toISOString();
  const { orders, truncated } = await ports.recentOrders(since, body.limit);
  const channelIds = [...new Set(orders.map((o) => o.channelId))];
  const channelList = await Promise.all(channelIds.map((id) => ports.channels.get(id)));
  const channelMap = new Map(channelList.filter((c) => c !== undefined).map((c) => [c.channelId, c]));
  const locationIds = [...new Set([...channelMap.values()].flatMap((c) => c.locationIds))];
  const skus = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.sku)))];
  const [nodes, stock, active] = await Promise.all([
    ports.nodes.get(locationIds),
    ports.stock.snapshot(skus),
    ports.rules.active(),
  ]);
  const input = { orders, channels: channelMap, nodes, stock };
  return ok({
    since,
    days: body.days,
    ordersReplayed: orders.length,
    truncated,
    activeVersion: active.version,
    ...compare(simulate(input, body.rules, -1), simulate(input, active.rules, active.version)),
  });
});
