import type { Channel } from '../../intake/schemas/channel.ts';
import type { ShipTo } from '../../schemas/canonical-order.ts';
import type { Hold, HoldType, NodeInfo, ReleaseOrder, RoutingRuleSet } from '../schemas.ts';
import { servesDestination } from './routing.ts';

/**
 * Automatic holds, as pure functions of the order, its channel, the channel's nodes and the
 * routing rules. A hold's id is its type for automatic holds (`payment`, `fraud`, `address`), so
 * evaluating twice raises it once, and a hold released by a person is never raised again by the
 * same facts (the person decided). Manual holds (`manual-<n>`) are placed through the API.
 */

/** Payment is captured only when the channel says the order is paid. */
const CAPTURED = new Set(['paid', 'partially_refunded']);
export const paymentCaptured = (status: string) => CAPTURED.has(status);

/**
 * Risk score 0–100. Uses `fraudScore` when an enrichment wrote one on the order (channel risk
 * APIs); otherwise a transparent heuristic over what every canonical order has: order value,
 * guest checkout, fast shipping, ship-to without a phone. Deliberately simple; a scoring
 * service replaces it behind this function.
 */
export function fraudScoreOf(order: ReleaseOrder & { fraudScore?: number }): {
  score: number;
  signals: string[];
} {
  if (typeof order.fraudScore === 'number')
    return { score: order.fraudScore, signals: ['channel risk score'] };
  const signals: string[] = [];
  let score = 0;
  const value = order.lines.reduce((s, l) => s + (l.unitPrice ?? 0) * l.quantity - (l.discount ?? 0), 0);
  if (value >= 50_000) {
    score += 40;
    signals.push(`order value ${value} ≥ 50000 minor units`);
  } else if (value >= 20_000) {
    score += 20;
    signals.push(`order value ${value} ≥ 20000 minor units`);
  }
  if (!order.customerRef) {
    score += 20;
    signals.push('guest checkout');
  }
  if (order.serviceLevel === 'overnight' || order.serviceLevel === 'expedited') {
    score += 15;
    signals.push(`${order.serviceLevel} shipping`);
  }
  if (order.shipTo && !order.shipTo.phone) {
    score += 5;
    signals.push('no phone on the ship-to address');
  }
  return { score: Math.min(100, score), signals };
}

function addressProblem(
  order: ReleaseOrder,
  channel: Channel,
  nodes: ReadonlyMap<string, NodeInfo>,
  rules: RoutingRuleSet,
): string | undefined {
  if (order.detailsPending) return 'address details are still to be fetched from the channel';
  const to: ShipTo | null = order.shipTo;
  if (!to) return 'no ship-to address';
  const missing = (['name', 'line1', 'city', 'postalCode', 'country'] as const).filter((f) => !to[f]?.trim());
  if (missing.length) return `address incomplete: ${missing.join(', ')} missing`;
  const known = channel.locationIds.map((id) => nodes.get(id)).filter((n): n is NodeInfo => Boolean(n));
  if (known.length === 0) return undefined; // no nodes at all is an allocation problem, not an address one
  const serving = known.filter((n) => !servesDestination(n, to, order.serviceLevel, rules));
  if (serving.length === 0) {
    return `undeliverable: no node of channel ${channel.channelId} ships ${order.serviceLevel} to ${to.region ? `${to.country}-${to.region}` : to.country}`;
  }
  return undefined;
}

/** The automatic holds the order needs now, that it does not already carry (open or released). */
export function automaticHolds(
  order: ReleaseOrder,
  channel: Channel,
  nodes: ReadonlyMap<string, NodeInfo>,
  rules: RoutingRuleSet,
  at: string,
): Hold[] {
  const existing = order.holds ?? {};
  const wanted: { type: HoldType; reason: string }[] = [];
  if (!CAPTURED.has(order.paymentStatus)) {
    wanted.push({ type: 'payment', reason: `payment not captured (status ${order.paymentStatus})` });
  }
  if (channel.fraudThreshold !== undefined) {
    const { score, signals } = fraudScoreOf(order);
    if (score > channel.fraudThreshold) {
      wanted.push({
        type: 'fraud',
        reason: `fraud score ${score} above the channel threshold ${channel.fraudThreshold} (${signals.join('; ')})`,
      });
    }
  }
  const address = addressProblem(order, channel, nodes, rules);
  if (address) wanted.push({ type: 'address', reason: address });
  return wanted
    .filter((w) => !existing[w.type])
    .map((w) => ({
      holdId: w.type,
      type: w.type,
      reason: w.reason,
      placedBy: 'system:order-release',
      placedAt: at,
      status: 'open' as const,
    }));
}

export const openHolds = (order: Pick<ReleaseOrder, 'holds'>): Hold[] =>
  Object.values(order.holds ?? {}).filter((h) => h.status === 'open');
