import { DomainError, NotFound } from '#shared/errors';
import { OrderNotFound } from '../../errors.ts';
import { OrderBackordered } from '../../events/order-backordered.ts';
import { OrderHeld } from '../../events/order-held.ts';
import { OrderReleaseFailed } from '../../events/order-release-failed.ts';
import { reservationIdFor } from '../keys.ts';
import type { HeldUnits, Hold, LineState } from '../schemas.ts';
import { automaticHolds, openHolds } from './holds.ts';
import type { ReleasePorts } from './ports.ts';
import {
  backorderEntries,
  DONE_STATUSES,
  holdData,
  isCancelled,
  isHeldForOrder,
  lineState,
  mutate,
  orderEvent,
  RELEASE_ACTOR,
  releaseEvent,
  type StepContext,
  shipmentsOf,
  uncovered,
  withStatus,
} from './release-state.ts';
import { expectedAvailability, planRouting, routingRequest } from './routing.ts';

/**
 * The order-release workflow's steps (statemachines/order-release.asl.json), for orders that need
 * a durable execution: a hold, a failure, a person. Each step is idempotent by order id: it reads
 * the release state, decides, and writes under `releaseVersion`, so a retried step finds its own
 * earlier write and does nothing twice; any writer that finds the order cancelled after reserving
 * releases what it reserved.
 */

export type ValidateResult = { status: 'ready' | 'cancelled' | 'done'; orderStatus: string };

/** 1. The order exists and still needs releasing (a re-run for a finished order is a no-op). */
export async function validate(ports: ReleasePorts, orderId: string): Promise<ValidateResult> {
  const order = await ports.orders.load(orderId);
  if (!order) throw new OrderNotFound(orderId);
  if (isCancelled(order)) return { status: 'cancelled', orderStatus: order.status };
  if (DONE_STATUSES.has(order.status)) return { status: 'done', orderStatus: order.status };
  return { status: 'ready', orderStatus: order.status };
}

export type HoldsResult = { status: 'held'; holds: string[] } | { status: 'clear' } | { status: 'cancelled' };

/** 2. Raises the automatic holds the order needs (payment, fraud, address); reports open holds. */
export async function evaluateHolds(
  ports: ReleasePorts,
  orderId: string,
  ctx: StepContext,
): Promise<HoldsResult> {
  const first = await ports.orders.load(orderId);
  if (!first) throw new OrderNotFound(orderId);
  const channel = await ports.channels.get(first.channelId);
  if (!channel) throw new NotFound('Channel', first.channelId);
  const [nodes, active] = await Promise.all([ports.nodes.get(channel.locationIds), ports.rules.active()]);
  const { value } = await mutate<HoldsResult>(ports, orderId, (order) => {
    if (isCancelled(order)) return { value: { status: 'cancelled' } };
    const at = ports.clock().toISOString();
    const raised = automaticHolds(order, channel, nodes, active.rules, at);
    const open = [...openHolds(order), ...raised];
    if (open.length === 0) return { value: { status: 'clear' } };
    const value: HoldsResult = { status: 'held', holds: open.map((h) => h.holdId) };
    if (raised.length === 0 && order.status === 'on_hold') return { value };
    const holds = { ...(order.holds ?? {}) };
    for (const h of raised) holds[h.holdId] = h;
    return {
      value,
      patch: { holds, ...withStatus(order, 'on_hold', at, RELEASE_ACTOR, 'OrderHeld') },
      events: raised.map((h) =>
        orderEvent(
          OrderHeld,
          { orderId, channelId: order.channelId, status: 'on_hold', hold: holdData(h) },
          orderId,
          h.holdId,
          at,
          ctx,
        ),
      ),
    };
  });
  return value;
}

/** Thrown by the parking step so the ASL re-evaluates (the holds changed) or ends (cancelled). */
export class HoldsChanged extends DomainError {
  constructor(orderId: string) {
    super(409, 'HOLDS_CHANGED', `The holds of order ${orderId} changed while it was being parked`);
  }
}
export class OrderCancelledWhileHeld extends DomainError {
  constructor(orderId: string) {
    super(409, 'OrderCancelled', `Order ${orderId} was cancelled while held`);
  }
}

/**
 * 3. The workflow parks here with its task token. The token is stored only if the release state
 * is still the one that showed open holds (a condition on `releaseVersion`, which every hold
 * release and cancellation bumps before it looks for a token). Otherwise the step fails with
 * HOLDS_CHANGED (the ASL evaluates holds again) or OrderCancelled (the ASL ends): no release can
 * slip between evaluating and parking, and this function never completes tokens itself — which
 * would make the state machine and its task's role depend on each other.
 */
export async function parkOnHold(ports: ReleasePorts, orderId: string, token: string) {
  const order = await ports.orders.load(orderId);
  if (!order || isCancelled(order)) throw new OrderCancelledWhileHeld(orderId);
  if (openHolds(order).length === 0) throw new HoldsChanged(orderId);
  const parked = await ports.orders.parkToken(
    orderId,
    token,
    ports.clock().toISOString(),
    order.releaseVersion,
  );
  if (!parked) throw new HoldsChanged(orderId);
  return { parked: true };
}

export type AllocateResult =
  | { status: 'allocated'; round: number; shipments: number; short: number }
  | { status: 'held' }
  | { status: 'cancelled' }
  | { status: 'nothing' };

/**
 * 4. Routes the lines not yet reserved (routing rules, stock, channel) and records the decision
 * with its explanation and the node allocations of this round. A retry while the round is still
 * pending answers that round; `skipIfNothing` (backorder retries) writes nothing when no node
 * can take any line.
 */
export async function allocate(
  ports: ReleasePorts,
  orderId: string,
  opts: { skipIfNothing?: boolean } = {},
): Promise<AllocateResult> {
  const first = await ports.orders.load(orderId);
  if (!first) throw new OrderNotFound(orderId);
  const channel = await ports.channels.get(first.channelId);
  if (!channel) throw new NotFound('Channel', first.channelId);
  const [nodes, active] = await Promise.all([ports.nodes.get(channel.locationIds), ports.rules.active()]);
  const { value } = await mutate<AllocateResult>(ports, orderId, async (order) => {
    if (isCancelled(order)) return { value: { status: 'cancelled' } };
    if (openHolds(order).length > 0) return { value: { status: 'held' } };
    if (order.pendingRound !== undefined) {
      const round = order.pendingRound;
      const pending = shipmentsOf(order).filter((s) => s.round === round);
      return {
        value: {
          status: 'allocated',
          round,
          shipments: pending.length,
          short: order.routing?.shortLineIds.length ?? 0,
        },
      };
    }
    const lines = uncovered(order);
    const round = (order.releaseRound ?? 0) + 1;
    if (lines.length === 0)
      return { value: { status: 'allocated', round: round - 1, shipments: 0, short: 0 } };
    const stock = await ports.stock.snapshot([...new Set(lines.map((l) => l.sku))]);
    const held = Object.values(order.lineStates ?? {}).find(
      (s): s is Extract<LineState, { locationId: string }> => isHeldForOrder(s),
    );
    const now = ports.clock();
    const plan = planRouting({
      ...routingRequest(order, channel, active, { lines, nodes, stock, round, now }),
      ...(held && channel.allowSplit !== true ? { pinnedNode: held.locationId } : {}),
    });
    if (plan.shipments.length === 0 && opts.skipIfNothing) return { value: { status: 'nothing' } };
    const shipments = { ...(order.shipments ?? {}) };
    for (const s of plan.shipments) {
      const reservationId = reservationIdFor(orderId, s.locationId, round);
      shipments[reservationId] = {
        reservationId,
        locationId: s.locationId,
        nodeType: nodes.get(s.locationId)?.type ?? 'warehouse',
        round,
        lines: s.lines,
        status: 'pending',
      };
    }
    return {
      value: { status: 'allocated', round, shipments: plan.shipments.length, short: plan.short.length },
      patch: { releaseRound: round, pendingRound: round, routing: plan.decision, shipments },
    };
  });
  return value;
}

export type ReserveResult = { status: 'reserved' | 'insufficient' | 'cancelled'; reserved: string[] };

/**
 * 5. Reserves each node allocation of the pending round through inventory (one reservation,
 * one transaction per node). A shortage is an answer: the shipment is marked insufficient and
 * its lines go to backorder. Found cancelled after reserving: releases what it reserved.
 */
export async function reserve(
  ports: ReleasePorts,
  orderId: string,
  ctx: StepContext,
): Promise<ReserveResult> {
  const order = await ports.orders.load(orderId);
  if (!order) throw new OrderNotFound(orderId);
  if (isCancelled(order)) return { status: 'cancelled', reserved: [] };
  const round = order.pendingRound;
  const pending = shipmentsOf(order).filter((s) => s.round === round && s.status === 'pending');
  const outcome = new Map<string, 'reserved' | 'insufficient'>();
  const heldBy = new Map<string, HeldUnits>();
  for (const s of pending) {
    const r = await ports.reservations.reserve(
      s.reservationId,
      s.lines.map((l) => ({ sku: l.sku, locationId: s.locationId, quantity: l.quantity })),
      ctx.correlationId,
    );
    outcome.set(s.reservationId, r.status);
    if (r.status === 'reserved' && r.held) heldBy.set(s.reservationId, r.held);
  }
  const reserved = [...outcome].filter(([, r]) => r === 'reserved').map(([id]) => id);
  const result = await mutate<ReserveResult>(ports, orderId, (current) => {
    const shipments = { ...(current.shipments ?? {}) };
    const lineStates = { ...(current.lineStates ?? {}) };
    for (const [id, status] of outcome) {
      const s = shipments[id];
      if (s?.status !== 'pending') continue;
      const held = heldBy.get(id);
      shipments[id] = { ...s, status, ...(held ? { held } : {}) };
      if (status === 'reserved') {
        for (const l of s.lines) {
          lineStates[l.lineId] = { status: 'reserved', locationId: s.locationId, reservationId: id };
        }
      }
    }
    const complete = current.lines.every((l) =>
      isHeldForOrder(lineStates[l.lineId] ?? { status: 'pending' }),
    );
    return {
      value: { status: complete ? 'reserved' : 'insufficient', reserved },
      patch: { shipments, lineStates, pendingRound: undefined },
    };
  });
  if (result.outcome === 'cancelled') {
    for (const id of reserved) await ports.reservations.release(id, 'order cancelled', ctx.correlationId);
    return { status: 'cancelled', reserved: [] };
  }
  return result.value;
}

export type BackorderResult =
  /** `restocked`: short SKUs that already have free stock again (see backorderAndKick). */
  { status: 'backordered'; lines: number; restocked: string[] } | { status: 'reserved' | 'cancelled' };

/**
 * 6a. The short lines wait for stock: status backordered with expected availability (open
 * inbound), one queue entry per short SKU in release order (channel priority, then oldest).
 * It names the short SKUs whose stock is already back (it may have arrived while this order was
 * being routed, and no arrival event would come for it), for the caller to run their queues.
 */
export async function backorder(
  ports: ReleasePorts,
  orderId: string,
  ctx: StepContext,
): Promise<BackorderResult> {
  const first = await ports.orders.load(orderId);
  if (!first) throw new OrderNotFound(orderId);
  const channel = await ports.channels.get(first.channelId);
  const skus = [...new Set(uncovered(first).map((l) => l.sku))];
  const [stock, active, arrivals] = await Promise.all([
    ports.stock.snapshot(skus),
    ports.rules.active(),
    ports.arrivals?.of(skus),
  ]);
  const locationIds = channel?.locationIds ?? [];
  const priority = channel?.priority ?? 0;
  const written = await mutate<BackorderResult>(ports, orderId, (order) => {
    if (isCancelled(order)) return { value: { status: 'cancelled' } };
    const short = uncovered(order);
    if (short.length === 0) return { value: { status: 'reserved' } };
    const now = ports.clock();
    const at = now.toISOString();
    const lineStates = { ...(order.lineStates ?? {}) };
    const lines = short.map((l) => {
      const prev = lineStates[l.lineId];
      const expectedAt = expectedAvailability(l, locationIds, stock, active.rules, now, arrivals);
      lineStates[l.lineId] = {
        status: 'backordered',
        expectedAt,
        since: prev?.status === 'backordered' ? prev.since : at,
      };
      return { ...l, expectedAt };
    });
    const reservedLineIds = order.lines
      .filter((l) => isHeldForOrder(lineState(order, l.lineId)))
      .map((l) => l.lineId);
    const already = order.status === 'backordered';
    return {
      value: { status: 'backordered', lines: short.length, restocked: [] },
      patch: {
        lineStates,
        backorder: { since: order.backorder?.since ?? at, lines },
        channelPriority: priority,
        pendingRound: undefined,
        ...(already ? {} : withStatus(order, 'backordered', at, RELEASE_ACTOR, 'OrderBackordered')),
      },
      events: already
        ? []
        : [
            orderEvent(
              OrderBackordered,
              { orderId, channelId: order.channelId, status: 'backordered', lines, reservedLineIds, at },
              orderId,
              `round-${order.releaseRound ?? 0}`,
              at,
              ctx,
            ),
          ],
    };
  });
  if (written.value.status !== 'backordered') return written.value;
  const order = written.order;
  const shortSkus = new Set(uncovered(order).map((l) => l.sku));
  await ports.backorders.put(backorderEntries(order, priority, shortSkus));
  const covered = order.lines.map((l) => l.sku).filter((s) => !shortSkus.has(s));
  if (covered.length) await ports.backorders.remove(backorderEntries(order, priority, covered));
  const restocked = [...shortSkus].filter(
    (sku) => [...(stock.get(sku)?.values() ?? [])].reduce((s, p) => s + Math.max(0, p.available), 0) > 0,
  );
  return { ...written.value, restocked };
}

export type ReleaseResult =
  | { status: 'released'; shipments: number }
  | { status: 'insufficient' | 'cancelled' };

/** 6b. Every line is reserved: release each node allocation to its node (own → OrderReleased, 3PL → ThreePLOrderRequested). */
export async function release(
  ports: ReleasePorts,
  orderId: string,
  ctx: StepContext,
): Promise<ReleaseResult> {
  const { value } = await mutate<ReleaseResult>(ports, orderId, (order) => {
    if (isCancelled(order)) return { value: { status: 'cancelled' } };
    if (uncovered(order).length > 0) return { value: { status: 'insufficient' } };
    const at = ports.clock().toISOString();
    const shipments = { ...(order.shipments ?? {}) };
    const lineStates = { ...(order.lineStates ?? {}) };
    const toRelease = shipmentsOf(order).filter((s) => s.status === 'reserved' || s.status === 'released');
    for (const s of toRelease) {
      if (s.status === 'reserved') shipments[s.reservationId] = { ...s, status: 'released', releasedAt: at };
      for (const l of s.lines) {
        lineStates[l.lineId] = {
          status: 'released',
          locationId: s.locationId,
          reservationId: s.reservationId,
        };
      }
    }
    const events = toRelease.map((s) => releaseEvent(order, s, order.routing?.summary, at, ctx));
    const value: ReleaseResult = { status: 'released', shipments: toRelease.length };
    // Part of the order already left (a short pick's units waited for stock): the rest follows.
    const status = shipmentsOf(order).some((s) => s.status === 'shipped') ? 'partially_shipped' : 'released';
    if (order.status === status && toRelease.every((s) => s.status === 'released')) {
      return { value, events }; // a retry after the write: re-send the same events
    }
    const event = toRelease.some((s) => s.nodeType === '3pl') ? 'ThreePLOrderRequested' : 'OrderReleased';
    return {
      value,
      patch: {
        shipments,
        lineStates,
        backorder: undefined,
        pendingRound: undefined,
        ...withStatus(order, status, at, RELEASE_ACTOR, event),
      },
      events,
    };
  });
  if (value.status === 'released') {
    const order = await ports.orders.load(orderId);
    if (order) {
      const skus = [...new Set(order.lines.map((l) => l.sku))];
      await ports.backorders.remove(
        skus.map((sku) => ({
          sku,
          orderId,
          channelPriority: order.channelPriority ?? 0,
          placedAt: order.placedAt,
        })),
      );
    }
  }
  return value;
}

/**
 * The compensating path (Catch): releases every reservation the order took, marks it failed and
 * holds it for review. Stock is consistent whatever step failed.
 */
export async function compensate(
  ports: ReleasePorts,
  orderId: string,
  failure: { error: string; cause?: string },
  ctx: StepContext,
): Promise<{ status: 'failed' | 'cancelled' | 'missing'; releasedReservations: string[] }> {
  const order = await ports.orders.load(orderId);
  if (!order) return { status: 'missing', releasedReservations: [] };
  if (isCancelled(order)) return { status: 'cancelled', releasedReservations: [] };
  const toRelease = shipmentsOf(order).filter((s) => ['pending', 'reserved', 'released'].includes(s.status));
  for (const s of toRelease) {
    await ports.reservations.release(s.reservationId, `release failed: ${failure.error}`, ctx.correlationId);
  }
  const released = toRelease.map((s) => s.reservationId);
  const cause = failure.cause?.slice(0, 1000);
  const result = await mutate(ports, orderId, (current) => {
    if (current.status === 'failed') return { value: 'failed' as const };
    const at = ports.clock().toISOString();
    const shipments = { ...(current.shipments ?? {}) };
    for (const id of released) if (shipments[id]) shipments[id] = { ...shipments[id], status: 'failed' };
    const review: Hold = {
      holdId: 'review',
      type: 'review',
      reason: `release failed (${failure.error}); reservations released, held for review`,
      placedBy: RELEASE_ACTOR,
      placedAt: at,
      status: 'open',
    };
    return {
      value: 'failed' as const,
      patch: {
        shipments,
        lineStates: {},
        pendingRound: undefined,
        backorder: undefined,
        releaseFailure: { at, error: failure.error, ...(cause ? { cause } : {}) },
        holds: { ...(current.holds ?? {}), review },
        ...withStatus(current, 'failed', at, RELEASE_ACTOR, 'OrderReleaseFailed'),
      },
      events: [
        orderEvent(
          OrderReleaseFailed,
          {
            orderId,
            channelId: current.channelId,
            status: 'failed',
            error: failure.error,
            ...(cause ? { cause } : {}),
            releasedReservations: released,
            at,
          },
          orderId,
          `failed-${current.releaseRound ?? 0}`,
          at,
          ctx,
        ),
      ],
    };
  });
  if (result.outcome === 'cancelled') return { status: 'cancelled', releasedReservations: released };
  await ports.backorders.remove(
    [...new Set(order.lines.map((l) => l.sku))].map((sku) => ({
      sku,
      orderId,
      channelPriority: order.channelPriority ?? 0,
      placedAt: order.placedAt,
    })),
  );
  return { status: 'failed', releasedReservations: released };
}
