import type { PickShorted } from '#fulfillment/api';
import { NotFound } from '#shared/errors';
import { reservationIdFor } from '../keys.ts';
import type { LineState, ReleaseOrder, Shipment, ShipmentLine, ShortPickRecord } from '../schemas.ts';
import { backorderAndKick } from './backorder-queue.ts';
import { reserve } from './durable-steps.ts';
import type { ReleasePorts } from './ports.ts';
import {
  coveredUnits,
  isCancelled,
  mutate,
  ReleaseContention,
  releaseEvent,
  type StepContext,
  shipmentsOf,
  uncovered,
} from './release-state.ts';
import { planRouting, type RoutingPlan, type RoutingRequest, routingRequest } from './routing.ts';

type PickShortedData = (typeof PickShorted.data)['_output'];

export type ShortPickOutcome =
  /** Every short unit is reserved at a node and released to it (OrderReleased for that part). */
  | { status: 'released'; to: string[]; units: number }
  /** Some or all short units wait for stock in the backorder queue (the rest were released). */
  | { status: 'backordered'; to: string[]; units: number }
  /** Nothing to place: the order is cancelled, unknown, or the part was not the order's. */
  | { status: 'nothing'; reason: string };

const unitsOf = (lines: readonly ShipmentLine[]) => lines.reduce((n, l) => n + l.quantity, 0);

/**
 * A pick came up short (PickShorted): fulfillment wrote the missing units off and the node's
 * reservation shrank. The order places those units again through release, once per
 * fulfillment × pick task:
 *   1. allocate — the part's lines shrink by the short units; the short units are routed by the
 *      active rules to another node (the shorting node only when no other can take more), as a
 *      new round `order:<id>:<node>:<round>`; the round is recorded under the event's key before
 *      anything is reserved, so a retry finds it and reserves the same ids;
 *   2. reserve — the existing reserve step (one reservation per node, idempotent by id);
 *   3. release — each reserved part is released to its node (OrderReleased with an id derived
 *      from the reservation: fulfillment creates one new fulfillment there); the order's status
 *      stays where the rest of it is;
 *   4. backorder — units no node could take wait in the backorder queue (status backordered),
 *      released when stock arrives like any backorder.
 */
export async function releaseShortPick(
  ports: ReleasePorts,
  shorted: PickShortedData,
  ctx: StepContext,
): Promise<ShortPickOutcome> {
  const key = `${shorted.fulfillmentId}:${shorted.taskId}`;
  const first = await ports.orders.load(shorted.orderId);
  if (!first) return { status: 'nothing', reason: `order ${shorted.orderId} is unknown` };
  if (isCancelled(first)) return { status: 'nothing', reason: 'the order is cancelled' };
  const channel = await ports.channels.get(first.channelId);
  if (!channel) throw new NotFound('Channel', first.channelId);
  const [nodes, active] = await Promise.all([ports.nodes.get(channel.locationIds), ports.rules.active()]);

  const claimed = await waitingForOtherRounds(() =>
    mutate<ShortPickRecord | string>(ports, shorted.orderId, async (order) => {
      if (isCancelled(order)) return { value: 'the order is cancelled' };
      const seen = order.shortPicks?.[key];
      if (seen) return { value: seen };
      const part = order.shipments?.[shorted.reservationId];
      if (!part) return { value: `reservation ${shorted.reservationId} is not one of the order's parts` };
      // Another round is being allocated (a backorder retry): its pending parts must settle first.
      if (order.pendingRound !== undefined) throw new ReleaseContention(order.orderId);

      const { shipments, lineStates, lines } = takeOut(order, part, shorted.lines);
      const round = (order.releaseRound ?? 0) + 1;
      const now = ports.clock();
      const at = now.toISOString();
      let plan: RoutingPlan | undefined;
      if (lines.length) {
        const stock = await ports.stock.snapshot([...new Set(lines.map((l) => l.sku))]);
        plan = placeAgain(
          routingRequest(order, channel, active, { lines, nodes, stock, round, now }),
          shorted.locationId,
        );
        for (const s of plan.shipments) {
          const reservationId = reservationIdFor(order.orderId, s.locationId, round);
          shipments[reservationId] = {
            reservationId,
            locationId: s.locationId,
            nodeType: nodes.get(s.locationId)?.type ?? 'warehouse',
            round,
            lines: s.lines,
            status: 'pending',
          };
        }
      }
      const record: ShortPickRecord = {
        fulfillmentId: shorted.fulfillmentId,
        taskId: shorted.taskId,
        locationId: shorted.locationId,
        lines,
        round,
        at,
        status: 'allocated',
      };
      const placing = (plan?.shipments.length ?? 0) > 0;
      return {
        value: record,
        patch: {
          shipments,
          lineStates,
          releaseRound: round,
          shortPicks: { ...(order.shortPicks ?? {}), [key]: record },
          ...(placing ? { pendingRound: round } : {}),
          ...(plan
            ? {
                routing: {
                  ...plan.decision,
                  summary: `short pick at ${shorted.locationId} (${shorted.reason}): ${plan.decision.summary}`,
                },
              }
            : {}),
        },
      };
    }),
  );
  if (typeof claimed.value === 'string') return { status: 'nothing', reason: claimed.value };
  const record = claimed.value;
  if (claimed.outcome === 'cancelled') return { status: 'nothing', reason: 'the order is cancelled' };

  // 2. Reserve the round's parts (a retry finds them reserved: inventory answers the first outcome).
  const current = await ports.orders.load(shorted.orderId);
  const pending = current
    ? shipmentsOf(current).filter((s) => s.round === record.round && s.status === 'pending')
    : [];
  if (pending.length && current?.pendingRound === record.round) {
    const reserved = await reserve(ports, shorted.orderId, ctx);
    if (reserved.status === 'cancelled') return { status: 'nothing', reason: 'the order is cancelled' };
  }

  // 3. Release what was reserved to its node; re-send the same events on a retry.
  const released = await mutate<{ to: string[]; waiting: number }>(ports, shorted.orderId, (order) => {
    if (isCancelled(order)) return { value: { to: [], waiting: 0 } };
    const at = ports.clock().toISOString();
    const shipments = { ...(order.shipments ?? {}) };
    const lineStates: Record<string, LineState> = { ...(order.lineStates ?? {}) };
    const parts = shipmentsOf(order).filter(
      (s) => s.round === record.round && (s.status === 'reserved' || s.status === 'released'),
    );
    for (const s of parts) {
      if (s.status === 'reserved') shipments[s.reservationId] = { ...s, status: 'released', releasedAt: at };
      for (const l of s.lines) {
        lineStates[l.lineId] = {
          status: 'released',
          locationId: s.locationId,
          reservationId: s.reservationId,
        };
      }
    }
    const after = { ...order, shipments, lineStates } as ReleaseOrder;
    const shortLineIds = new Set(record.lines.map((l) => l.lineId));
    const waiting = unitsOf(uncovered(after).filter((l) => shortLineIds.has(l.lineId)));
    const to = [...new Set(parts.map((s) => s.locationId))];
    const events = parts.map((s) =>
      releaseEvent(order, shipments[s.reservationId] as Shipment, order.routing?.summary, at, ctx),
    );
    const status = waiting > 0 ? 'backordered' : 'released';
    if (order.shortPicks?.[key]?.status === status) return { value: { to, waiting }, events };
    return {
      value: { to, waiting },
      patch: {
        shipments,
        lineStates,
        shortPicks: {
          ...(order.shortPicks ?? {}),
          [key]: { ...record, status, ...(to.length ? { releasedTo: to } : {}) },
        },
      },
      events,
    };
  });
  if (released.outcome === 'cancelled') return { status: 'nothing', reason: 'the order is cancelled' };

  // 4. What no node could take waits for stock, oldest first, like every backorder.
  const units = unitsOf(record.lines);
  if (released.value.waiting > 0) {
    await backorderAndKick(ports, shorted.orderId, ctx);
    return { status: 'backordered', to: released.value.to, units };
  }
  return { status: 'released', to: released.value.to, units };
}

/**
 * A round another writer is allocating (a backorder retry) settles within seconds: wait for it
 * a few times before letting the bus retry the event.
 */
async function waitingForOtherRounds<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ReleaseContention) || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/**
 * The shorted part holds fewer units (a part already shipped keeps what left); a line that is no
 * longer wholly held loses its held state, so `uncovered` (and a later backorder retry) sees the
 * missing units. Answers the units to place again, as the part's own SKUs (a substitute stays one).
 */
function takeOut(order: ReleaseOrder, part: Shipment, short: readonly ShipmentLine[]) {
  const shortBy = new Map<string, number>();
  for (const l of short) shortBy.set(l.lineId, (shortBy.get(l.lineId) ?? 0) + l.quantity);
  const shipments = { ...(order.shipments ?? {}) };
  if (part.status !== 'shipped') {
    const lines = part.lines
      .map((l) => ({ ...l, quantity: l.quantity - Math.min(l.quantity, shortBy.get(l.lineId) ?? 0) }))
      .filter((l) => l.quantity > 0);
    // A part shorted to nothing ships nothing: fulfillment cancels it.
    shipments[part.reservationId] = { ...part, lines, ...(lines.length ? {} : { status: 'cancelled' }) };
  }
  const after = { ...order, shipments } as ReleaseOrder;
  const covered = coveredUnits(after);
  const lineStates: Record<string, LineState> = { ...(order.lineStates ?? {}) };
  const lines: ShipmentLine[] = [];
  for (const [lineId, quantity] of shortBy) {
    const line = order.lines.find((l) => l.lineId === lineId);
    if (!line) continue;
    const missing = Math.min(quantity, line.quantity - (covered.get(lineId) ?? 0));
    if (missing <= 0) continue;
    lineStates[lineId] = { status: 'pending' };
    const sku = part.lines.find((l) => l.lineId === lineId)?.sku ?? line.sku;
    lines.push({ lineId, sku, quantity: missing });
  }
  return { shipments, lineStates, lines };
}

/**
 * Routes the short units away from the node that came up short; the shorting node is used only
 * when it can take more of them than the other nodes together (its other bins may hold some).
 */
function placeAgain(req: RoutingRequest, shortingLocation: string): RoutingPlan {
  const away = planRouting({ ...req, locationIds: req.locationIds.filter((id) => id !== shortingLocation) });
  if (away.short.length === 0 || !req.locationIds.includes(shortingLocation)) return away;
  const anywhere = planRouting(req);
  return unitsOf(anywhere.short) < unitsOf(away.short) ? anywhere : away;
}
