import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { Conflict, DomainError, NotFound } from '#shared/errors';
import { createEvent, type DomainEvent, type EventDefinition } from '#shared/events';
import { OrderNotFound } from '../../errors.ts';
import { OrderBackordered } from '../../events/order-backordered.ts';
import { OrderHeld } from '../../events/order-held.ts';
import { OrderHoldReleased } from '../../events/order-hold-released.ts';
import { OrderReleaseCancelled } from '../../events/order-release-cancelled.ts';
import { OrderReleaseFailed } from '../../events/order-release-failed.ts';
import { OrderReleased } from '../../events/order-released.ts';
import { ThreePLOrderRequested } from '../../events/three-pl-order-requested.ts';
import { reservationIdFor } from '../keys.ts';
import type {
  Hold,
  LineState,
  ReleaseFields,
  ReleaseOrder,
  Shipment,
  ShipmentLine,
  StockSnapshot,
} from '../schemas.ts';
import { automaticHolds, openHolds } from './holds.ts';
import type { BackorderEntry, ReleasePorts } from './ports.ts';
import { expectedAvailability, planRouting } from './routing.ts';

/**
 * The order-release use cases. Each workflow step is one of these functions, idempotent by
 * order id: it reads the release state (on the order item), decides from it, and writes under
 * the optimistic lock `releaseVersion` — so a retried step finds its own earlier write and does
 * nothing twice. Reservations are made and released through inventory's reservation task with
 * deterministic ids (`order:<orderId>:<node>:<round>`); any writer that finds the order
 * cancelled after reserving releases what it reserved (the cancel path releases what it saw).
 * Events leave after the write, with ids derived from (order, event, key): a retry re-publishes
 * the same event, which consumers dedupe.
 */

export const RELEASE_ACTOR = 'system:order-release';
const HISTORY_LIMIT = 50;
const MAX_WRITE_ATTEMPTS = 20;

export interface StepContext {
  correlationId: string;
}

/** Terminal or later states: the workflow has nothing left to do for the order. */
const DONE_STATUSES = new Set(['released', 'picking', 'packed', 'shipped', 'backordered', 'failed']);
const HOLDABLE_STATUSES = new Set(['received', 'on_hold']);

export class ReleaseContention extends DomainError {
  constructor(orderId: string) {
    super(503, 'RELEASE_CONTENTION', `Order ${orderId} changed too often while being released; retry`);
  }
}

const isCancelled = (o: ReleaseOrder) => o.cancelled || o.status === 'cancelled' || Boolean(o.cancellation);

function eventIdFor(orderId: string, detailType: string, key: string): string {
  const h = createHash('sha256').update(`${orderId}\n${detailType}\n${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** An event whose id is derived from (order, type, key), so a retried step re-sends the same one. */
function orderEvent<T extends z.ZodType>(
  def: EventDefinition<T>,
  data: z.input<T>,
  orderId: string,
  key: string,
  at: string,
  ctx: StepContext,
): DomainEvent {
  const event = createEvent(def, data, {
    correlationId: ctx.correlationId,
    causationId: orderId,
    now: () => new Date(at),
  });
  event.detail.metadata.eventId = eventIdFor(orderId, def.detailType, key);
  return event;
}

function withStatus(order: ReleaseOrder, status: string, at: string, by: string, event?: string) {
  const history = [...(order.statusHistory ?? []), { status, at, by, ...(event ? { event } : {}) }];
  return { status, statusHistory: history.slice(-HISTORY_LIMIT) };
}

interface Decision<T> {
  patch?: Partial<ReleaseFields>;
  events?: DomainEvent[];
  value: T;
}

/**
 * Read → decide → conditional write, again on a lost race. `cancelled` means the order was
 * cancelled under us: the caller compensates whatever it did outside the write.
 */
async function mutate<T>(
  ports: ReleasePorts,
  orderId: string,
  decide: (order: ReleaseOrder) => Decision<T> | Promise<Decision<T>>,
  opts: { allowCancelled?: boolean } = {},
): Promise<{ outcome: 'ok' | 'unchanged' | 'cancelled'; value: T; order: ReleaseOrder }> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const order = await ports.orders.load(orderId);
    if (!order) throw new OrderNotFound(orderId);
    const d = await decide(order);
    if (!d.patch) {
      if (d.events?.length) await ports.events.publish(d.events);
      return { outcome: 'unchanged', value: d.value, order };
    }
    const saved = await ports.orders.save(order, d.patch, opts);
    if (saved === 'ok') {
      if (d.events?.length) await ports.events.publish(d.events);
      return { outcome: 'ok', value: d.value, order: { ...order, ...d.patch } as ReleaseOrder };
    }
    if (saved === 'cancelled') return { outcome: 'cancelled', value: d.value, order };
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 5 * 2 ** attempt)));
  }
  throw new ReleaseContention(orderId);
}

const lineState = (o: ReleaseOrder, lineId: string): LineState =>
  o.lineStates?.[lineId] ?? { status: 'pending' };
const isHeldForOrder = (s: LineState) => s.status === 'reserved' || s.status === 'released';
/** Lines not yet covered by a reservation. */
const uncovered = (o: ReleaseOrder): ShipmentLine[] =>
  o.lines
    .filter((l) => !isHeldForOrder(lineState(o, l.lineId)))
    .map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity }));
const shipmentsOf = (o: ReleaseOrder): Shipment[] => Object.values(o.shipments ?? {});

// ---------------------------------------------------------------------------------------------
// Workflow steps

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

const holdData = (h: Hold) => ({
  holdId: h.holdId,
  type: h.type,
  reason: h.reason,
  by: h.releasedBy ?? h.placedBy,
  at: h.releasedAt ?? h.placedAt,
});

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
      orderId,
      lines,
      shipTo: order.shipTo,
      serviceLevel: order.serviceLevel,
      placedAt: order.placedAt,
      locationIds: channel.locationIds,
      nodes,
      stock,
      rules: active.rules,
      ruleVersion: active.version,
      allowSplit: channel.allowSplit === true,
      ...(held && channel.allowSplit !== true ? { pinnedNode: held.locationId } : {}),
      round,
      now,
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
  for (const s of pending) {
    const r = await ports.reservations.reserve(
      s.reservationId,
      s.lines.map((l) => ({ sku: l.sku, locationId: s.locationId, quantity: l.quantity })),
      ctx.correlationId,
    );
    outcome.set(s.reservationId, r.status);
  }
  const reserved = [...outcome].filter(([, r]) => r === 'reserved').map(([id]) => id);
  const result = await mutate<ReserveResult>(ports, orderId, (current) => {
    const shipments = { ...(current.shipments ?? {}) };
    const lineStates = { ...(current.lineStates ?? {}) };
    for (const [id, status] of outcome) {
      const s = shipments[id];
      if (s?.status !== 'pending') continue;
      shipments[id] = { ...s, status };
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

export type BackorderResult = { status: 'backordered'; lines: number } | { status: 'reserved' | 'cancelled' };

/**
 * 6a. The short lines wait for stock: status backordered with expected availability (open
 * inbound), one queue entry per short SKU in release order (channel priority, then oldest).
 * `kick` runs the queue at once when stock is already back (it may have arrived while this
 * order was being routed, and no arrival event would come for it).
 */
export async function backorder(
  ports: ReleasePorts,
  orderId: string,
  ctx: StepContext,
  opts: { kick?: boolean; owner?: string } = {},
): Promise<BackorderResult> {
  const first = await ports.orders.load(orderId);
  if (!first) throw new OrderNotFound(orderId);
  const channel = await ports.channels.get(first.channelId);
  const skus = [...new Set(uncovered(first).map((l) => l.sku))];
  const [stock, active] = await Promise.all([ports.stock.snapshot(skus), ports.rules.active()]);
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
      const expectedAt = expectedAvailability(l, locationIds, stock, active.rules, now);
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
      value: { status: 'backordered', lines: short.length },
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
  const entry = (sku: string): BackorderEntry => ({
    sku,
    orderId,
    channelPriority: priority,
    placedAt: order.placedAt,
  });
  await ports.backorders.put([...shortSkus].map(entry));
  const covered = [...new Set(order.lines.map((l) => l.sku))].filter((s) => !shortSkus.has(s));
  if (covered.length) await ports.backorders.remove(covered.map(entry));
  if (opts.kick) {
    for (const sku of shortSkus) {
      const free = [...(stock.get(sku)?.values() ?? [])].reduce((s, p) => s + Math.max(0, p.available), 0);
      if (free > 0) await retryBackorders(ports, sku, opts.owner ?? `kick:${orderId}`, ctx);
    }
  }
  return written.value;
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
    const events = toRelease.map((s) => {
      const when = s.releasedAt ?? at;
      const data = {
        orderId,
        channelId: order.channelId,
        externalId: order.externalId,
        reservationId: s.reservationId,
        locationId: s.locationId,
        nodeType: s.nodeType,
        lines: s.lines,
        serviceLevel: order.serviceLevel,
        shipTo: order.shipTo,
        releasedAt: when,
        ...(order.routing?.summary ? { routing: order.routing.summary } : {}),
      };
      return s.nodeType === '3pl'
        ? orderEvent(ThreePLOrderRequested, data, orderId, s.reservationId, when, ctx)
        : orderEvent(OrderReleased, data, orderId, s.reservationId, when, ctx);
    });
    const value: ReleaseResult = { status: 'released', shipments: toRelease.length };
    if (order.status === 'released' && toRelease.every((s) => s.status === 'released')) {
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
        ...withStatus(order, 'released', at, RELEASE_ACTOR, event),
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

// ---------------------------------------------------------------------------------------------
// Commands from people and other contexts

/**
 * Cancels the release side of an order, from the channel (OrderCancelled) or from ops (API),
 * at any point before shipping: marks it cancelled, releases every reservation it holds (inventory
 * makes each release happen once, whoever asks and however often), drops its backorders, and
 * ends a workflow parked on a hold. Safe to repeat; a repeat finishes what a crash left undone.
 */
export async function cancelOrder(
  ports: ReleasePorts,
  orderId: string,
  by: { source: 'channel' | 'ops'; actor: string; reason?: string },
  ctx: StepContext,
) {
  const marked = await mutate(
    ports,
    orderId,
    (order) => {
      if (order.status === 'shipped') {
        throw new Conflict('ORDER_ALREADY_SHIPPED', `Order ${orderId} has shipped; return it instead`);
      }
      if (order.cancellation) return { value: order.cancellation.previousStatus };
      const at = ports.clock().toISOString();
      const previousStatus =
        order.status === 'cancelled'
          ? (order.statusHistory?.filter((h) => h.status !== 'cancelled').at(-1)?.status ?? 'received')
          : order.status;
      return {
        value: previousStatus,
        patch: {
          cancellation: {
            at,
            by: by.actor,
            source: by.source,
            previousStatus,
            ...(by.reason ? { reason: by.reason } : {}),
          },
          ...withStatus(order, 'cancelled', at, by.actor, 'OrderReleaseCancelled'),
        },
      };
    },
    { allowCancelled: true },
  );
  const order = marked.order;
  // Shipments a previous run already cancelled are released again (a no-op in inventory), so a
  // repeated cancel answers the same as the first.
  const holding = shipmentsOf(order).filter((s) =>
    ['pending', 'reserved', 'released', 'cancelled'].includes(s.status),
  );
  for (const s of holding) {
    await ports.reservations.release(s.reservationId, `order cancelled (${by.source})`, ctx.correlationId);
  }
  const released = holding.map((s) => s.reservationId);
  const recallFrom = [...new Set(holding.filter((s) => s.releasedAt).map((s) => s.locationId))];
  const done = await mutate(
    ports,
    orderId,
    (current) => {
      const at = current.cancellation?.at ?? ports.clock().toISOString();
      const shipments = { ...(current.shipments ?? {}) };
      for (const id of released) if (shipments[id]) shipments[id] = { ...shipments[id], status: 'cancelled' };
      const lineStates: Record<string, LineState> = {};
      for (const [lineId, s] of Object.entries(current.lineStates ?? {})) {
        lineStates[lineId] = 'reservationId' in s ? { ...s, status: 'cancelled' } : s;
      }
      const event = orderEvent(
        OrderReleaseCancelled,
        {
          orderId,
          channelId: current.channelId,
          status: 'cancelled',
          source: current.cancellation?.source ?? by.source,
          by: current.cancellation?.by ?? by.actor,
          ...((current.cancellation?.reason ?? by.reason)
            ? { reason: current.cancellation?.reason ?? by.reason }
            : {}),
          previousStatus: current.cancellation?.previousStatus ?? marked.value,
          releasedReservations: released,
          recallFrom,
          at,
        },
        orderId,
        'cancel',
        at,
        ctx,
      );
      const settled = released.every((id) => current.shipments?.[id]?.status === 'cancelled');
      if (settled && !current.backorder && current.pendingRound === undefined)
        return { value: at, events: [event] };
      return {
        value: at,
        patch: { shipments, lineStates, backorder: undefined, pendingRound: undefined },
        events: [event],
      };
    },
    { allowCancelled: true },
  );
  await ports.backorders.remove(
    [...new Set(order.lines.map((l) => l.sku))].map((sku) => ({
      sku,
      orderId,
      channelPriority: order.channelPriority ?? 0,
      placedAt: order.placedAt,
    })),
  );
  const token = await ports.orders.parkedToken(orderId);
  if (token) {
    await ports.tokens.fail(token, 'OrderCancelled', `Order ${orderId} was cancelled (${by.source})`);
    await ports.orders.clearToken(orderId, token);
  }
  return {
    orderId,
    status: 'cancelled' as const,
    previousStatus: marked.value,
    releasedReservations: released,
    recallFrom,
    cancelledAt: done.value,
  };
}

/** Customer service puts an order on hold before it is allocated. */
export async function placeHold(
  ports: ReleasePorts,
  orderId: string,
  input: { reason: string; actor: string },
  ctx: StepContext,
): Promise<Hold> {
  const { value } = await mutate<Hold>(ports, orderId, (order) => {
    if (isCancelled(order)) throw new Conflict('ORDER_CANCELLED', `Order ${orderId} is cancelled`);
    if (!HOLDABLE_STATUSES.has(order.status) || order.pendingRound !== undefined || order.shipments) {
      throw new Conflict(
        'ORDER_NOT_HOLDABLE',
        `Order ${orderId} is ${order.status} and already allocated; cancel it instead`,
        { status: order.status },
      );
    }
    const at = ports.clock().toISOString();
    const n = Object.values(order.holds ?? {}).filter((h) => h.type === 'manual').length + 1;
    const hold: Hold = {
      holdId: `manual-${n}`,
      type: 'manual',
      reason: input.reason,
      placedBy: input.actor,
      placedAt: at,
      status: 'open',
    };
    return {
      value: hold,
      patch: {
        holds: { ...(order.holds ?? {}), [hold.holdId]: hold },
        ...(order.status === 'on_hold' ? {} : withStatus(order, 'on_hold', at, input.actor, 'OrderHeld')),
      },
      events: [
        orderEvent(
          OrderHeld,
          { orderId, channelId: order.channelId, status: 'on_hold', hold: holdData(hold) },
          orderId,
          hold.holdId,
          at,
          ctx,
        ),
      ],
    };
  });
  return value;
}

/**
 * A person releases one hold (reason, who, when are kept). When it was the last open hold, the
 * parked workflow is resumed with SendTaskSuccess; it evaluates holds again, and a released hold
 * is never raised again by the same facts.
 */
export async function releaseHold(
  ports: ReleasePorts,
  orderId: string,
  holdId: string,
  input: { actor: string; note?: string },
  ctx: StepContext,
) {
  const { value } = await mutate(ports, orderId, (order) => {
    const hold = order.holds?.[holdId];
    if (!hold) throw new NotFound('Hold', `${orderId}/${holdId}`);
    if (isCancelled(order)) throw new Conflict('ORDER_CANCELLED', `Order ${orderId} is cancelled`);
    const remainingBefore = openHolds(order).filter((h) => h.holdId !== holdId);
    if (hold.status === 'released') {
      return { value: { hold, remaining: remainingBefore.length, status: order.status } };
    }
    const at = ports.clock().toISOString();
    const released: Hold = {
      ...hold,
      status: 'released',
      releasedBy: input.actor,
      releasedAt: at,
      ...(input.note ? { note: input.note } : {}),
    };
    const resumes = remainingBefore.length === 0 && order.status === 'on_hold';
    const status = resumes ? 'received' : order.status;
    return {
      value: { hold: released, remaining: remainingBefore.length, status },
      patch: {
        holds: { ...(order.holds ?? {}), [holdId]: released },
        ...(resumes ? withStatus(order, 'received', at, input.actor, 'OrderHoldReleased') : {}),
      },
      events: [
        orderEvent(
          OrderHoldReleased,
          {
            orderId,
            channelId: order.channelId,
            status,
            hold: holdData(released),
            remaining: remainingBefore.length,
          },
          orderId,
          holdId,
          at,
          ctx,
        ),
      ],
    };
  });
  let resumed = false;
  if (value.remaining === 0) {
    const token = await ports.orders.parkedToken(orderId);
    if (token) {
      resumed = (await ports.tokens.succeed(token, { releasedBy: input.actor, holdId })) === 'ok';
      await ports.orders.clearToken(orderId, token);
    }
  }
  return { orderId, ...value, resumed };
}

// ---------------------------------------------------------------------------------------------
// Backorders

const LOCK_LEASE_MS = 5 * 60_000;
const QUEUE_PAGE = 25;

const freeUnits = (stock: StockSnapshot, sku: string) =>
  [...(stock.get(sku)?.values() ?? [])].reduce((s, p) => s + Math.max(0, p.available), 0);

/**
 * Stock of `sku` may have come back: retry its backorders in release order (highest channel
 * priority first, then oldest), one run per SKU at a time. A run that finds the lock taken
 * flags the holder, which looks at the queue again before letting go — so arrivals during a
 * run are never lost, and two runs never race for the same units out of order.
 */
export async function retryBackorders(
  ports: ReleasePorts,
  sku: string,
  owner: string,
  ctx: StepContext,
): Promise<{ ran: boolean; released: string[] }> {
  if ((await ports.backorders.acquire(sku, owner, LOCK_LEASE_MS)) === 'flagged')
    return { ran: false, released: [] };
  // A failure lets the lease lapse rather than hand over a queue in an unknown state; the bus
  // retries this invocation, and the retry (or the next arrival after the lease) runs it again.
  const released: string[] = [];
  do {
    released.push(...(await runQueue(ports, sku, ctx)));
  } while ((await ports.backorders.releaseLock(sku, owner, LOCK_LEASE_MS)) === 'again');
  return { ran: true, released };
}

async function runQueue(ports: ReleasePorts, sku: string, ctx: StepContext): Promise<string[]> {
  const released: string[] = [];
  let after: string | undefined;
  for (;;) {
    if (freeUnits(await ports.stock.snapshot([sku]), sku) <= 0) return released;
    const page = await ports.backorders.page(sku, QUEUE_PAGE, after);
    for (const entry of page.entries) {
      const outcome = await retryOrder(ports, entry.orderId, ctx);
      if (outcome === 'released') released.push(entry.orderId);
      else if (outcome === 'gone') await ports.backorders.remove([entry]);
      else if (outcome === 'short' && freeUnits(await ports.stock.snapshot([sku]), sku) <= 0) return released;
    }
    if (!page.next) return released;
    after = page.next;
  }
}

/** One backordered order, again: allocate what is short, reserve, and release when complete. */
export async function retryOrder(
  ports: ReleasePorts,
  orderId: string,
  ctx: StepContext,
): Promise<'released' | 'short' | 'gone' | 'held'> {
  const order = await ports.orders.load(orderId);
  if (!order || isCancelled(order) || order.status !== 'backordered') return 'gone';
  if (openHolds(order).length > 0) return 'held';
  const allocated = await allocate(ports, orderId, { skipIfNothing: true });
  if (allocated.status === 'cancelled') return 'gone';
  if (allocated.status === 'held') return 'held';
  if (allocated.status === 'nothing') return 'short';
  const reserved = await reserve(ports, orderId, ctx);
  if (reserved.status === 'cancelled') return 'gone';
  if (reserved.status === 'reserved') {
    const out = await release(ports, orderId, ctx);
    return out.status === 'released' ? 'released' : 'gone';
  }
  const still = await backorder(ports, orderId, ctx);
  return still.status === 'backordered' ? 'short' : 'gone';
}
