import type { Channel } from '../../intake/schemas/channel.ts';
import type { ShipTo } from '../../schemas/canonical-order.ts';
import type { NodeInfo, ReleaseOrder, RoutingRuleSet, StockSnapshot } from '../schemas.ts';
import { planRouting, shippingCostOf, zoneOf } from './routing.ts';

/**
 * The routing simulator: replays orders (oldest first) under a rule set against a stock pool
 * that the replay itself draws down, and measures what the rules would have done. Pure: it
 * reads a snapshot and never touches stock. The pool is today's sellable stock per position
 * (available + reserved, i.e. what these orders themselves hold now), the same for both rule
 * sets, so the comparison isolates the rules.
 */
export interface SimulationMetrics {
  orders: number;
  allocated: number;
  backordered: number;
  splitRate: number;
  avgShippingCost: number;
  slaMisses: number;
  shipments: number;
  byNode: Record<string, number>;
}

export interface SimulationInput {
  orders: readonly ReleaseOrder[];
  channels: ReadonlyMap<string, Channel>;
  nodes: ReadonlyMap<string, NodeInfo>;
  stock: StockSnapshot;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function simulate(
  input: SimulationInput,
  rules: RoutingRuleSet,
  ruleVersion: number,
): SimulationMetrics {
  const pool: StockSnapshot = new Map(
    [...input.stock].map(([sku, byLoc]) => [
      sku,
      new Map(
        [...byLoc].map(([loc, s]) => [
          loc,
          { available: s.available + (s.reserved ?? 0), inTransit: s.inTransit },
        ]),
      ),
    ]),
  );
  const m: SimulationMetrics = {
    orders: 0,
    allocated: 0,
    backordered: 0,
    splitRate: 0,
    avgShippingCost: 0,
    slaMisses: 0,
    shipments: 0,
    byNode: {},
  };
  let splits = 0;
  let cost = 0;
  let shipped = 0;
  const ordered = [...input.orders].sort((a, b) => a.placedAt.localeCompare(b.placedAt));
  for (const order of ordered) {
    const channel = input.channels.get(order.channelId);
    if (!channel || order.cancelled) continue;
    m.orders++;
    const plan = planRouting({
      orderId: order.orderId,
      lines: order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity })),
      shipTo: order.shipTo,
      serviceLevel: order.serviceLevel,
      placedAt: order.placedAt,
      locationIds: channel.locationIds,
      nodes: input.nodes,
      stock: pool,
      rules,
      ruleVersion,
      allowSplit: channel.allowSplit === true,
      round: 1,
      now: new Date(order.placedAt),
    });
    if (plan.short.length > 0) m.backordered++;
    if (plan.shipments.length > 0 && plan.short.length === 0) m.allocated++;
    if (plan.shipments.length > 1) splits++;
    if (plan.shipments.length > 0) shipped++;
    if (plan.decision.slaMiss) m.slaMisses++;
    for (const s of plan.shipments) {
      m.shipments++;
      m.byNode[s.locationId] = (m.byNode[s.locationId] ?? 0) + 1;
      const node = input.nodes.get(s.locationId);
      if (node && order.shipTo) {
        cost += shippingCostOf(zoneOf(node, order.shipTo as ShipTo, rules), order.serviceLevel, rules);
      }
      for (const l of s.lines) {
        const p = pool.get(l.sku)?.get(s.locationId);
        if (p) p.available -= l.quantity;
      }
    }
  }
  m.splitRate = shipped ? round2(splits / shipped) : 0;
  /** Per order shipped (all its shipments), in minor units. */
  m.avgShippingCost = shipped ? round2(cost / shipped) : 0;
  return m;
}

/** The candidate's metrics beside the active rules', and the differences. */
export function compare(candidate: SimulationMetrics, active: SimulationMetrics) {
  return {
    candidate,
    active,
    delta: {
      splitRate: round2(candidate.splitRate - active.splitRate),
      avgShippingCost: round2(candidate.avgShippingCost - active.avgShippingCost),
      slaMisses: candidate.slaMisses - active.slaMisses,
      backordered: candidate.backordered - active.backordered,
    },
  };
}
