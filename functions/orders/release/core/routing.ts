import type { ServiceLevel, ShipTo } from '../../schemas/canonical-order.ts';
import type {
  CandidateExplanation,
  NodeInfo,
  RoutingDecision,
  RoutingRuleSet,
  ShipmentLine,
  StockSnapshot,
} from '../schemas.ts';

/**
 * Allocation and routing, as pure functions of (order, nodes, stock, rules, clock):
 * 1. candidates: the channel's locations
 * 2. filters: serves the destination (country / region) and the service level; has every line;
 *    delivers within the service level's promise given its carrier cutoff (soft: a node that
 *    misses it is used only when no node makes it, and the decision says so)
 * 3. ranking: weighted score of stock depth, distance zone, shipping cost and node priority
 * 4. one node with everything wins; otherwise, when the channel allows it, a greedy split
 *    (each extra shipment pays the split penalty); lines no node can cover are short
 * Every candidate keeps the reasons it was filtered or lost, stored as the order's decision.
 */

export interface RoutingRequest {
  orderId: string;
  lines: ShipmentLine[];
  shipTo: ShipTo | null;
  serviceLevel: ServiceLevel;
  placedAt: string;
  /** The channel's locations, in channel order; unknown ids are reported, never used. */
  locationIds: string[];
  nodes: ReadonlyMap<string, NodeInfo>;
  stock: StockSnapshot;
  rules: RoutingRuleSet;
  ruleVersion: number;
  allowSplit: boolean;
  /** Without split, lines already reserved for the order pin the rest to their node. */
  pinnedNode?: string;
  round: number;
  now: Date;
}

/**
 * The request every release path plans with: the order's `lines` (what is left to place) under
 * its channel and the active rule set, at `round`.
 */
export function routingRequest(
  order: { orderId: string; shipTo: ShipTo | null; serviceLevel: ServiceLevel; placedAt: string },
  channel: { locationIds: string[]; allowSplit?: boolean },
  active: { rules: RoutingRuleSet; version: number },
  placing: Pick<RoutingRequest, 'lines' | 'nodes' | 'stock' | 'round' | 'now'>,
): RoutingRequest {
  return {
    orderId: order.orderId,
    lines: placing.lines,
    shipTo: order.shipTo,
    serviceLevel: order.serviceLevel,
    placedAt: order.placedAt,
    locationIds: channel.locationIds,
    nodes: placing.nodes,
    stock: placing.stock,
    rules: active.rules,
    ruleVersion: active.version,
    allowSplit: channel.allowSplit === true,
    round: placing.round,
    now: placing.now,
  };
}

export interface RoutingPlan {
  shipments: { locationId: string; lines: ShipmentLine[] }[];
  short: ShipmentLine[];
  decision: RoutingDecision;
}

const DAY_MS = 86_400_000;
const DEFAULT_PRIORITY = 50;

export const destinationOf = (shipTo: ShipTo | null): string | null =>
  shipTo ? (shipTo.region ? `${shipTo.country}-${shipTo.region.toUpperCase()}` : shipTo.country) : null;

/** Whether the node ships to the destination at this service level, and why not. */
export function servesDestination(
  node: NodeInfo,
  shipTo: ShipTo,
  serviceLevel: ServiceLevel,
  rules: RoutingRuleSet,
): string | undefined {
  const cfg = rules.nodes[node.locationId];
  if (cfg?.serviceLevels && !cfg.serviceLevels.includes(serviceLevel)) {
    return `does not offer ${serviceLevel} service`;
  }
  const serves = cfg?.serves ?? (node.country ? [node.country] : undefined);
  if (!serves) return undefined;
  const region = shipTo.region ? `${shipTo.country}-${shipTo.region.toUpperCase()}` : undefined;
  const ok = serves.some((d) => d === shipTo.country || (region !== undefined && d === region));
  return ok ? undefined : `does not serve ${region ?? shipTo.country}`;
}

export function zoneOf(node: NodeInfo, shipTo: ShipTo, rules: RoutingRuleSet): number {
  const table = rules.zones[node.locationId] ?? {};
  const region = shipTo.region ? `${shipTo.country}-${shipTo.region.toUpperCase()}` : undefined;
  const zone = (region && table[region]) ?? table[shipTo.country] ?? table['*'];
  if (zone) return zone;
  if (!node.country) return 4;
  if (node.country !== shipTo.country) return 8;
  return region && node.region && `${node.country}-${node.region.toUpperCase()}` === region ? 1 : 3;
}

const SERVICE_COST_FACTOR: Record<ServiceLevel, number> = {
  standard: 1,
  expedited: 2,
  overnight: 4,
  pickup: 0,
};

export function shippingCostOf(zone: number, serviceLevel: ServiceLevel, rules: RoutingRuleSet): number {
  const fromTable = rules.shippingCost[String(zone)]?.[serviceLevel];
  if (fromTable !== undefined) return fromTable;
  return (400 + 150 * (zone - 1)) * SERVICE_COST_FACTOR[serviceLevel];
}

function transitDaysOf(zone: number, serviceLevel: ServiceLevel, rules: RoutingRuleSet): number {
  const standard = rules.transitDays[String(zone)] ?? (zone <= 2 ? 1 : zone <= 5 ? 3 : 5);
  if (serviceLevel === 'overnight') return Math.min(standard, 1);
  if (serviceLevel === 'expedited') return Math.min(standard, 2);
  if (serviceLevel === 'pickup') return 0;
  return standard;
}

/** When the node would deliver if released now, and whether that keeps the promise. */
export function slaOf(
  node: NodeInfo,
  zone: number,
  req: Pick<RoutingRequest, 'serviceLevel' | 'placedAt' | 'rules' | 'now'>,
): { deliversBy: string; promisedBy: string; miss: boolean } {
  const cfg = req.rules.nodes[node.locationId];
  const startOfDay = Math.floor(req.now.getTime() / DAY_MS) * DAY_MS;
  const afterCutoff = cfg?.cutoffHourUtc !== undefined && req.now.getUTCHours() >= cfg.cutoffHourUtc;
  const shipDay = startOfDay + ((afterCutoff ? 1 : 0) + (cfg?.handlingDays ?? 0)) * DAY_MS;
  const delivers = shipDay + transitDaysOf(zone, req.serviceLevel, req.rules) * DAY_MS;
  const placed = Math.floor(new Date(req.placedAt).getTime() / DAY_MS) * DAY_MS;
  const promised = placed + (req.rules.slaDays[req.serviceLevel] ?? 5) * DAY_MS;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { deliversBy: day(delivers), promisedBy: day(promised), miss: delivers > promised };
}

const availableAt = (stock: StockSnapshot, sku: string, locationId: string) =>
  stock.get(sku)?.get(locationId)?.available ?? 0;

interface Scored {
  node: NodeInfo;
  explanation: CandidateExplanation;
  covers: ShipmentLine[];
  missing: ShipmentLine[];
  slaMiss: boolean;
  depth: number;
  zone: number;
  cost: number;
  score: number;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Decides which node(s) ship which lines; pure, deterministic, explained. */
export function planRouting(req: RoutingRequest): RoutingPlan {
  const { rules, shipTo } = req;
  const w = rules.weights;
  const explanations: CandidateExplanation[] = [];
  const usable: Scored[] = [];

  for (const locationId of req.locationIds) {
    const node = req.nodes.get(locationId);
    if (!node) {
      explanations.push({ locationId, eligible: false, reasons: ['unknown location'] });
      continue;
    }
    const explanation: CandidateExplanation = { locationId, type: node.type, eligible: false, reasons: [] };
    explanations.push(explanation);
    if (req.pinnedNode && req.pinnedNode !== locationId) {
      explanation.reasons.push(`the order ships complete from ${req.pinnedNode} (channel does not split)`);
      continue;
    }
    if (!shipTo) {
      explanation.reasons.push('no ship-to address');
      continue;
    }
    const notServing = servesDestination(node, shipTo, req.serviceLevel, rules);
    if (notServing) {
      explanation.reasons.push(notServing);
      continue;
    }
    const covers: ShipmentLine[] = [];
    const missing: ShipmentLine[] = [];
    for (const line of req.lines) {
      const available = availableAt(req.stock, line.sku, locationId);
      if (available >= line.quantity) covers.push(line);
      else {
        missing.push(line);
        explanation.reasons.push(`short of ${line.sku}: ${available} available, ${line.quantity} needed`);
      }
    }
    const zone = zoneOf(node, shipTo, rules);
    const cost = shippingCostOf(zone, req.serviceLevel, rules);
    const sla = slaOf(node, zone, req);
    if (sla.miss) {
      explanation.reasons.push(
        `misses the ${req.serviceLevel} promise: delivers ${sla.deliversBy}, promised by ${sla.promisedBy}`,
      );
    }
    const depth =
      covers.length === 0
        ? 0
        : Math.min(
            ...covers.map((l) => Math.min(1, availableAt(req.stock, l.sku, locationId) / (l.quantity * 10))),
          );
    explanation.zone = zone;
    explanation.shippingCost = cost;
    explanation.deliversBy = sla.deliversBy;
    // The score is computed below, once every candidate's cost is known (cost is relative).
    usable.push({ node, explanation, covers, missing, slaMiss: sla.miss, depth, zone, cost, score: 0 });
  }

  const maxCost = Math.max(1, ...usable.map((u) => u.cost));
  for (const u of usable) {
    const { depth, zone, cost } = u;
    const breakdown = {
      stockDepth: round3(w.stockDepth * depth),
      distance: round3(w.distance * ((8 - zone) / 7)),
      cost: round3(w.cost * (1 - cost / maxCost)),
      priority: round3(w.priority * ((rules.nodes[u.node.locationId]?.priority ?? DEFAULT_PRIORITY) / 100)),
    };
    u.score = round3(Object.values(breakdown).reduce((s, v) => s + v, 0));
    u.explanation.breakdown = breakdown;
    u.explanation.score = u.score;
  }

  const better = (a: Scored, b: Scored) =>
    b.score - a.score ||
    (rules.nodes[b.node.locationId]?.priority ?? DEFAULT_PRIORITY) -
      (rules.nodes[a.node.locationId]?.priority ?? DEFAULT_PRIORITY) ||
    a.node.locationId.localeCompare(b.node.locationId);

  const full = usable.filter((u) => u.missing.length === 0 && req.lines.length > 0);
  const fullInTime = full.filter((u) => !u.slaMiss);
  let chosen: { scored: Scored; lines: ShipmentLine[] }[] = [];
  let short: ShipmentLine[] = [];
  let summary: string;

  if (full.length > 0) {
    const pool = fullInTime.length > 0 ? fullInTime : full;
    const [best] = [...pool].sort(better) as [Scored];
    chosen = [{ scored: best, lines: req.lines }];
    summary =
      `${best.node.locationId} has every line` +
      (best.slaMiss ? ' (no node keeps the promise; fastest eligible chosen by score)' : '') +
      ` and scores highest (${best.score})`;
  } else if (req.allowSplit && !req.pinnedNode) {
    // Greedy: the node covering most remaining lines (then the best score) ships them; each
    // extra shipment costs the split penalty, recorded on the decision.
    let remaining = [...req.lines];
    const used = new Set<string>();
    for (;;) {
      const options = usable
        .filter((u) => !used.has(u.node.locationId))
        .map((u) => ({ u, lines: remaining.filter((l) => u.covers.includes(l)) }))
        .filter((o) => o.lines.length > 0)
        .sort((a, b) => b.lines.length - a.lines.length || better(a.u, b.u));
      const pick = options[0];
      if (!pick) break;
      chosen.push({ scored: pick.u, lines: pick.lines });
      used.add(pick.u.node.locationId);
      remaining = remaining.filter((l) => !pick.lines.includes(l));
      if (remaining.length === 0) break;
    }
    short = remaining;
    summary =
      chosen.length === 0
        ? 'no node has any line: the order is backordered'
        : `no node has every line; split over ${chosen.map((c) => c.scored.node.locationId).join(', ')}` +
          (chosen.length > 1 ? ` (split penalty ${w.splitPenalty} × ${chosen.length - 1})` : '') +
          (short.length ? `; ${short.length} line(s) short` : '');
  } else {
    // Ship complete: the node with most lines (then the best score) holds what it has; the
    // rest waits there as a backorder.
    const best = [...usable].sort((a, b) => b.covers.length - a.covers.length || better(a, b))[0];
    if (best && best.covers.length > 0) chosen = [{ scored: best, lines: best.covers }];
    short = best ? best.missing : [...req.lines];
    summary = best
      ? `no node has every line and the channel ships complete: ${best.node.locationId} holds ${best.covers.length} line(s), ${short.length} short`
      : 'no node can serve the destination';
  }

  const winners = new Set(chosen.map((c) => c.scored.node.locationId));
  for (const u of usable) {
    if (winners.has(u.node.locationId)) {
      u.explanation.eligible = true;
      continue;
    }
    if (u.missing.length === 0 && u.covers.length > 0) {
      const winner = chosen[0]?.scored;
      u.explanation.reasons.push(
        winner && u.slaMiss && !winner.slaMiss
          ? `lost to ${winner.node.locationId}: it keeps the promise`
          : `lost to ${winner?.node.locationId ?? '?'} on score (${u.score} < ${winner?.score ?? '?'})`,
      );
    } else if (u.covers.length > 0 && chosen.length > 0) {
      u.explanation.reasons.push('not needed: the chosen node(s) cover its lines');
    }
  }

  const splitPenalty = chosen.length > 1 ? w.splitPenalty * (chosen.length - 1) : 0;
  const decision: RoutingDecision = {
    round: req.round,
    ruleVersion: req.ruleVersion,
    decidedAt: req.now.toISOString(),
    destination: destinationOf(shipTo),
    serviceLevel: req.serviceLevel,
    candidates: explanations,
    chosen: chosen.map((c) => ({
      locationId: c.scored.node.locationId,
      lineIds: c.lines.map((l) => l.lineId),
    })),
    split: chosen.length > 1,
    shortLineIds: short.map((l) => l.lineId),
    slaMiss: chosen.some((c) => c.scored.slaMiss),
    summary: splitPenalty
      ? `${summary}; plan score ${round3(chosen.reduce((s, c) => s + c.scored.score, 0) - splitPenalty)}`
      : summary,
  };
  return {
    shipments: chosen.map((c) => ({ locationId: c.scored.node.locationId, lines: c.lines })),
    short,
    decision,
  };
}

/** What inbound expects of a SKU (its api.ts `arrivalsFor`): units per location and day, lead time. */
export interface SkuArrivals {
  /** Open PO lines and shipped transfers: units expected at a location on a day (YYYY-MM-DD). */
  arrivals: { locationId: string; expectedAt: string; quantity: number }[];
  /** The shortest lead time of the suppliers with an open PO for the SKU, in days. */
  leadTimeDays?: number;
}

/**
 * Promise for a short line, first that applies:
 * 1. the earliest day by which arrivals at the channel's nodes (open POs, transfers in transit,
 *    earliest first) add up to the units still missing there (the line less what is available),
 *    never before now;
 * 2. now + the lead time of the SKU's supplier (units nobody has ordered yet);
 * 3. units in transit at a serving node that cover the line arrive after `inboundLeadDays`;
 * else null. Other backorders of the SKU may be promised the same arrivals (first come, first
 * served when they land): a promise, not a reservation of incoming units.
 */
export function expectedAvailability(
  line: ShipmentLine,
  locationIds: readonly string[],
  stock: StockSnapshot,
  rules: RoutingRuleSet,
  now: Date,
  arrivals?: ReadonlyMap<string, SkuArrivals>,
): string | null {
  const expected = arrivals?.get(line.sku);
  if (expected) {
    const available = locationIds.reduce(
      (s, id) => s + Math.max(0, stock.get(line.sku)?.get(id)?.available ?? 0),
      0,
    );
    const missing = line.quantity - available > 0 ? line.quantity - available : line.quantity;
    let covered = 0;
    const serving = expected.arrivals
      .filter((a) => locationIds.includes(a.locationId))
      .sort((a, b) => a.expectedAt.localeCompare(b.expectedAt));
    for (const a of serving) {
      covered += a.quantity;
      if (covered >= missing) {
        const day = Date.parse(`${a.expectedAt}T00:00:00Z`);
        return new Date(Math.max(day, now.getTime())).toISOString();
      }
    }
    if (expected.leadTimeDays !== undefined)
      return new Date(now.getTime() + expected.leadTimeDays * DAY_MS).toISOString();
  }
  const inTransit = locationIds.reduce((s, id) => s + (stock.get(line.sku)?.get(id)?.inTransit ?? 0), 0);
  if (inTransit < line.quantity) return null;
  return new Date(now.getTime() + rules.inboundLeadDays * DAY_MS).toISOString();
}
