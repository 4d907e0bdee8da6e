import { DomainError } from '#shared/errors';
import type { DomainEvent } from '#shared/events';
import { OrderBackordered } from '../../events/order-backordered.ts';
import type { OrderReceived } from '../../events/order-received.ts';
import type { Channel } from '../../intake/schemas/channel.ts';
import { reservationIdFor } from '../keys.ts';
import type {
  LineState,
  NodeInfo,
  ReleaseFields,
  ReleaseOrder,
  Shipment,
  StockSnapshot,
  StoredRuleSet,
} from '../schemas.ts';
import { release as republishRelease } from './durable-steps.ts';
import { automaticHolds } from './holds.ts';
import type { ReleasePorts } from './ports.ts';
import {
  backorderEntries,
  DONE_STATUSES,
  isCancelled,
  orderEvent,
  RELEASE_ACTOR,
  releaseEvent,
  type StepContext,
  withStatus,
} from './release-state.ts';
import { expectedAvailability, planRouting, type RoutingPlan, routingRequest } from './routing.ts';
import { substituteShortLines } from './substitutes.ts';

/** The order as OrderReceived carries it: everything release needs, so nothing is read again. */
export type ReceivedOrder = (typeof OrderReceived.data)['_output'];

/**
 * The fast path's reservations are round 0 (`order:<id>:<node>:0`): a durable execution that takes
 * over later allocates from round 1, so its reservation ids never meet the fast path's.
 */
const FAST_ROUND = 0;

export type FastOutcome =
  /** Every line reserved and released to its node(s). */
  | { status: 'released'; shipments: number }
  /** Some lines wait for stock (the rest stay reserved); the backorder queue has the order. */
  | { status: 'backordered'; lines: number }
  /** A hold, a failure or a race needs the durable workflow; it was started (named by order id). */
  | { status: 'durable'; reason: string }
  /** Already released, backordered, cancelled or taken over: nothing new to do. */
  | { status: 'done'; orderStatus: string };

/**
 * Releases an order that needs no person, in one invocation and a handful of calls:
 *   1. holds evaluated in memory (any hold → the durable workflow, which parks on it);
 *   2. routing by the active rules over one stock snapshot (kits as their components can build):
 *      the container's stock a moment old when that plan ships everything from one node, else (or
 *      when its reservation is refused) a fresh read, so a backorder never rests on old numbers
 *      (the memory's own read counts as one when it read every SKU for this order);
 *   3. one reservation per node (one conditional write for a single position, one transaction
 *      otherwise), ids deterministic, so a retried invocation gets the same reservations back;
 *   4. the order written once (routing, shipments, line states, status) on the condition that no
 *      release state exists yet and the order is not cancelled;
 *   5. OrderReleased / ThreePLOrderRequested / OrderBackordered with ids derived from the order.
 * A second delivery of the same event finds the release state and changes nothing; if a crash
 * came between the write and the events, it re-sends the same events (consumers dedupe by id)
 * and, for a backorder, puts its queue entries again.
 */
export async function releaseFast(
  ports: ReleasePorts,
  received: ReceivedOrder,
  ctx: StepContext,
): Promise<FastOutcome> {
  const order = { ...received, status: 'received' } as unknown as ReleaseOrder;
  const channel = await ports.channels.get(order.channelId);
  if (!channel) return handOver(ports, order.orderId, ctx, `channel ${order.channelId} is not configured`);
  const [nodes, active] = await Promise.all([ports.nodes.get(channel.locationIds), ports.rules.active()]);
  const now = ports.clock();
  const at = now.toISOString();
  const holds = automaticHolds(order, channel, nodes, active.rules, at);
  if (holds.length > 0) {
    return handOver(ports, order.orderId, ctx, `hold: ${holds.map((h) => h.type).join(', ')}`);
  }

  const skus = [...new Set(order.lines.map((l) => l.sku))];
  const routing = { order, channel, active, nodes, now };
  const shipments: Record<string, Shipment> = {};
  const lineStates: Record<string, LineState> = {};
  let stock: StockSnapshot;
  let plan: RoutingPlan;
  try {
    const recent = order.allowSubstitutes ? undefined : await recentPlan(ports, routing, skus);
    const oneNode =
      recent !== undefined && recent.plan.short.length === 0 && recent.plan.shipments.length === 1;
    if (oneNode && (await reservePlan(ports, recent.plan, routing, shipments, lineStates, ctx))) {
      ({ stock, plan } = recent);
    } else {
      if (oneNode) {
        // Refused: the remembered stock was wrong, and nothing is held (one node, all or nothing).
        ports.recentStock?.stale(skus);
        for (const id of Object.keys(shipments)) delete shipments[id];
      }
      if (recent?.fresh && !oneNode) {
        // Read by this invocation just now: as fresh as a snapshot, and planned without substitutes.
        ({ stock, plan } = recent);
      } else {
        stock = await ports.stock.snapshot(skus);
        plan = await freshPlan(ports, routing, skus, stock);
      }
      await reservePlan(ports, plan, routing, shipments, lineStates, ctx);
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error; // transient: the invocation is retried
    await releaseAll(
      ports,
      Object.values(shipments)
        .filter((s) => s.status === 'reserved')
        .map((s) => s.reservationId),
      ctx,
      'fast release failed',
    );
    return handOver(ports, order.orderId, ctx, `reservation failed: ${error.code}`);
  }

  const short = order.lines.filter((l) => !lineStates[l.lineId]);
  const complete = short.length === 0;
  const events: DomainEvent[] = [];
  let patch: Partial<ReleaseFields>;
  if (complete) {
    for (const s of Object.values(shipments)) {
      shipments[s.reservationId] = { ...s, status: 'released', releasedAt: at };
      for (const l of s.lines) {
        lineStates[l.lineId] = {
          status: 'released',
          locationId: s.locationId,
          reservationId: s.reservationId,
        };
      }
      events.push(
        releaseEvent(order, shipments[s.reservationId] as Shipment, plan.decision.summary, at, ctx),
      );
    }
    const event = Object.values(shipments).some((s) => s.nodeType === '3pl')
      ? 'ThreePLOrderRequested'
      : 'OrderReleased';
    patch = {
      releaseRound: FAST_ROUND,
      routing: plan.decision,
      shipments,
      lineStates,
      ...withStatus(order, 'released', at, RELEASE_ACTOR, event),
    };
  } else {
    const priority = channel.priority ?? 0;
    const arrivals = await ports.arrivals?.of([...new Set(short.map((l) => l.sku))]);
    const lines = short.map((l) => {
      const line = { lineId: l.lineId, sku: l.sku, quantity: l.quantity };
      const expectedAt = expectedAvailability(line, channel.locationIds, stock, active.rules, now, arrivals);
      lineStates[l.lineId] = { status: 'backordered', expectedAt, since: at };
      return { ...line, expectedAt };
    });
    events.push(backorderedEvent(order, lineStates, { since: at, lines }, ctx));
    patch = {
      releaseRound: FAST_ROUND,
      routing: plan.decision,
      shipments,
      lineStates,
      backorder: { since: at, lines },
      channelPriority: priority,
      ...withStatus(order, 'backordered', at, RELEASE_ACTOR, 'OrderBackordered'),
    };
  }

  const saved = await ports.orders.save(order, patch);
  if (saved !== 'ok') {
    // Cancelled meanwhile, or another writer got there first (a duplicate delivery, a hold placed
    // by a person): what this attempt reserved is not the order's. A duplicate's reservations
    // have the same ids as ours, so they are released only when the order does not hold them.
    const current = await ports.orders.load(order.orderId);
    const held = new Set(Object.keys(current?.shipments ?? {}));
    await releaseAll(
      ports,
      Object.keys(shipments).filter((id) => !held.has(id) || !current || isCancelled(current)),
      ctx,
      saved === 'cancelled' ? 'order cancelled' : 'order taken over',
    );
    if (!current || isCancelled(current)) return { status: 'done', orderStatus: 'cancelled' };
    if (current.status === 'released' && current.releaseRound === FAST_ROUND) {
      // Our own earlier attempt wrote it: re-send its events (same ids) in case they were lost.
      await republishRelease(ports, order.orderId, ctx);
      return { status: 'done', orderStatus: current.status };
    }
    if (current.status === 'backordered' && current.releaseRound === FAST_ROUND && current.backorder) {
      // Likewise for a backorder: its event and its queue entries may have died with that attempt,
      // and without the entries no arrival of stock would ever wake the order.
      await resendBackorder(ports, current, current.backorder, ctx);
      return { status: 'done', orderStatus: current.status };
    }
    if (DONE_STATUSES.has(current.status)) return { status: 'done', orderStatus: current.status };
    return handOver(ports, order.orderId, ctx, 'the release state changed while releasing');
  }
  if (!complete) {
    // The event and the queue entries both follow from the write, not from each other: sent at
    // once, one round trip shorter. A retry after either failed re-sends both (above).
    await Promise.all([
      ports.events.publish(events),
      ports.backorders.put(
        backorderEntries(
          order,
          channel.priority ?? 0,
          short.map((l) => l.sku),
        ),
      ),
    ]);
    return { status: 'backordered', lines: short.length };
  }
  await ports.events.publish(events);
  return { status: 'released', shipments: Object.keys(shipments).length };
}

interface Routing {
  order: ReleaseOrder;
  channel: Channel;
  active: StoredRuleSet;
  nodes: Map<string, NodeInfo>;
  now: Date;
}

const plainLines = (order: ReleaseOrder) =>
  order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity }));

/**
 * A plan from stock a moment old (ports.recentStock). The caller keeps it only when it ships
 * everything from one node: then its one reservation confirms it or refuses it whole. A plan that
 * would backorder or split is made again from fresh reads, so no order waits for stock that a fresh
 * read would show — unless this very call read every SKU (`fresh`), which is such a read.
 */
async function recentPlan(
  ports: ReleasePorts,
  r: Routing,
  skus: readonly string[],
): Promise<{ stock: StockSnapshot; plan: RoutingPlan; fresh: boolean } | undefined> {
  if (!ports.recentStock) return undefined;
  const { stock, fresh } = await ports.recentStock.of(skus);
  return { stock, plan: routeOver(r, plainLines(r.order), stock), fresh };
}

/** The routing rules over `lines` and `stock`, for the fast round. */
const routeOver = (r: Routing, lines: ReturnType<typeof plainLines>, stock: StockSnapshot) =>
  planRouting(
    routingRequest(r.order, r.channel, r.active, {
      lines,
      nodes: r.nodes,
      stock,
      round: FAST_ROUND,
      now: r.now,
    }),
  );

/** Routing over a fresh snapshot, with substitutes for short lines when the order allows them. */
async function freshPlan(
  ports: ReleasePorts,
  r: Routing,
  skus: readonly string[],
  stock: StockSnapshot,
): Promise<RoutingPlan> {
  let lines = plainLines(r.order);
  let substitutions: { lineId: string; from: string; to: string }[] = [];
  if (r.order.allowSubstitutes) {
    // Only an order that allows it, and only for lines its own SKU cannot cover (extra reads then).
    const substitutesOf = await ports.substitutes.of(skus);
    const candidates = [...new Set([...substitutesOf.values()].flat())].filter((s) => !stock.has(s));
    if (candidates.length) for (const [sku, at] of await ports.stock.snapshot(candidates)) stock.set(sku, at);
    ({ lines, substitutions } = substituteShortLines(lines, substitutesOf, stock, r.channel.locationIds));
  }
  const routed = routeOver(r, lines, stock);
  if (!substitutions.length) return routed;
  return {
    ...routed,
    decision: {
      ...routed.decision,
      substitutions,
      summary: `${routed.decision.summary}; substituted ${substitutions.map((s) => `${s.to} for ${s.from} (${s.lineId})`).join(', ')}`,
    },
  };
}

/**
 * One reservation per planned node (ids deterministic, so a retried invocation gets the same ones
 * back), recorded in `shipments` and `lineStates` as each is made. True when every one was reserved.
 */
async function reservePlan(
  ports: ReleasePorts,
  plan: RoutingPlan,
  r: Routing,
  shipments: Record<string, Shipment>,
  lineStates: Record<string, LineState>,
  ctx: StepContext,
): Promise<boolean> {
  let all = true;
  for (const s of plan.shipments) {
    const reservationId = reservationIdFor(r.order.orderId, s.locationId, FAST_ROUND);
    const out = await ports.reservations.reserve(
      reservationId,
      s.lines.map((l) => ({ sku: l.sku, locationId: s.locationId, quantity: l.quantity })),
      ctx.correlationId,
    );
    const reserved = out.status === 'reserved';
    shipments[reservationId] = {
      reservationId,
      locationId: s.locationId,
      nodeType: r.nodes.get(s.locationId)?.type ?? 'warehouse',
      round: FAST_ROUND,
      lines: s.lines,
      status: reserved ? 'reserved' : 'insufficient',
      ...(reserved && out.held ? { held: out.held } : {}),
    };
    if (!reserved) {
      all = false;
      continue;
    }
    for (const l of s.lines) {
      lineStates[l.lineId] = { status: 'reserved', locationId: s.locationId, reservationId };
      ports.recentStock?.reserved(l.sku, s.locationId, l.quantity);
    }
  }
  return all;
}

type Backorder = NonNullable<ReleaseOrder['backorder']>;

/** OrderBackordered of the fast round: one id per order, so a re-send is the same event. */
function backorderedEvent(
  order: Pick<ReleaseOrder, 'orderId' | 'channelId' | 'lines'>,
  lineStates: Readonly<Record<string, LineState>>,
  backorder: Backorder,
  ctx: StepContext,
): DomainEvent {
  const reservedLineIds = order.lines
    .filter((l) => lineStates[l.lineId]?.status === 'reserved')
    .map((l) => l.lineId);
  return orderEvent(
    OrderBackordered,
    {
      orderId: order.orderId,
      channelId: order.channelId,
      status: 'backordered',
      lines: backorder.lines,
      reservedLineIds,
      at: backorder.since,
    },
    order.orderId,
    `round-${FAST_ROUND}`,
    backorder.since,
    ctx,
  );
}

/** A fast-round backorder again, as written: the same event and the same queue entries. */
async function resendBackorder(
  ports: ReleasePorts,
  order: ReleaseOrder,
  backorder: Backorder,
  ctx: StepContext,
) {
  await Promise.all([
    ports.events.publish([backorderedEvent(order, order.lineStates ?? {}, backorder, ctx)]),
    ports.backorders.put(
      backorderEntries(
        order,
        order.channelPriority ?? 0,
        backorder.lines.map((l) => l.sku),
      ),
    ),
  ]);
}

async function releaseAll(ports: ReleasePorts, ids: readonly string[], ctx: StepContext, reason: string) {
  for (const id of ids) await ports.reservations.release(id, reason, ctx.correlationId);
}

/** Starts the durable order-release execution (named by the order id, so a repeat is the same one). */
async function handOver(
  ports: ReleasePorts,
  orderId: string,
  ctx: StepContext,
  reason: string,
): Promise<FastOutcome> {
  await ports.workflows.startRelease(orderId, ctx.correlationId);
  return { status: 'durable', reason };
}
