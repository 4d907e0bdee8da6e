import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { DomainError } from '#shared/errors';
import { createEvent, type DomainEvent, type EventDefinition } from '#shared/events';
import { OrderNotFound } from '../../errors.ts';
import { OrderReleased } from '../../events/order-released.ts';
import { ThreePLOrderRequested } from '../../events/three-pl-order-requested.ts';
import type { Hold, LineState, ReleaseFields, ReleaseOrder, Shipment, ShipmentLine } from '../schemas.ts';
import type { BackorderEntry, ReleasePorts } from './ports.ts';

/**
 * What every order-release use case shares: the release state on the order item, written under
 * the optimistic lock `releaseVersion` (read → decide → conditional write, again on a lost race),
 * and events whose ids derive from (order, event, key), so a retried step re-sends the same event
 * and consumers dedupe it. Reservations use deterministic ids (`order:<orderId>:<node>:<round>`).
 */

export const RELEASE_ACTOR = 'system:order-release';
const HISTORY_LIMIT = 50;
const MAX_WRITE_ATTEMPTS = 20;

export interface StepContext {
  correlationId: string;
}

/** Terminal or later states: the workflow has nothing left to do for the order. */
export const DONE_STATUSES = new Set([
  'released',
  'picking',
  'packed',
  'partially_shipped',
  'shipped',
  'backordered',
  'failed',
]);
export const HOLDABLE_STATUSES = new Set(['received', 'on_hold']);

export class ReleaseContention extends DomainError {
  constructor(orderId: string) {
    super(503, 'RELEASE_CONTENTION', `Order ${orderId} changed too often while being released; retry`);
  }
}

export const isCancelled = (o: ReleaseOrder) =>
  o.cancelled || o.status === 'cancelled' || Boolean(o.cancellation);

function eventIdFor(orderId: string, detailType: string, key: string): string {
  const h = createHash('sha256').update(`${orderId}\n${detailType}\n${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** An event whose id is derived from (order, type, key), so a retried step re-sends the same one. */
export function orderEvent<T extends z.ZodType>(
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

export function withStatus(order: ReleaseOrder, status: string, at: string, by: string, event?: string) {
  const history = [...(order.statusHistory ?? []), { status, at, by, ...(event ? { event } : {}) }];
  return { status, statusHistory: history.slice(-HISTORY_LIMIT) };
}

export interface Decision<T> {
  patch?: Partial<ReleaseFields>;
  events?: DomainEvent[];
  value: T;
}

/**
 * Read → decide → conditional write, again on a lost race. `cancelled` means the order was
 * cancelled under us: the caller compensates whatever it did outside the write.
 */
export async function mutate<T>(
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

export const lineState = (o: ReleaseOrder, lineId: string): LineState =>
  o.lineStates?.[lineId] ?? { status: 'pending' };
export const isHeldForOrder = (s: LineState) => s.status === 'reserved' || s.status === 'released';
export const shipmentsOf = (o: ReleaseOrder): Shipment[] => Object.values(o.shipments ?? {});

/** The order's backorder queue entries, one per SKU: in the channel's priority, then by age. */
export const backorderEntries = (
  order: Pick<ReleaseOrder, 'orderId' | 'placedAt'>,
  channelPriority: number,
  skus: Iterable<string>,
): BackorderEntry[] =>
  [...new Set(skus)].map((sku) => ({
    sku,
    orderId: order.orderId,
    channelPriority,
    placedAt: order.placedAt,
  }));
/** Shipments whose units are the order's: held by a reservation, or gone out with a parcel. */
const COVERING = new Set(['reserved', 'released', 'shipped']);
/** Units of each line that covering shipments hold (or shipped). */
export function coveredUnits(o: ReleaseOrder): Map<string, number> {
  const units = new Map<string, number>();
  for (const s of shipmentsOf(o)) {
    if (!COVERING.has(s.status)) continue;
    for (const l of s.lines) units.set(l.lineId, (units.get(l.lineId) ?? 0) + l.quantity);
  }
  return units;
}
/**
 * Lines not yet covered by a reservation. A line a short pick uncovered (its state no longer
 * held) is uncovered only by the units its other shipments do not hold.
 */
export const uncovered = (o: ReleaseOrder): ShipmentLine[] => {
  const covered = coveredUnits(o);
  return o.lines
    .filter((l) => !isHeldForOrder(lineState(o, l.lineId)))
    .map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity - (covered.get(l.lineId) ?? 0) }))
    .filter((l) => l.quantity > 0);
};

export const holdData = (h: Hold) => ({
  holdId: h.holdId,
  type: h.type,
  reason: h.reason,
  by: h.releasedBy ?? h.placedBy,
  at: h.releasedAt ?? h.placedAt,
});

/**
 * The event that hands one shipment to its node: OrderReleased for an own node,
 * ThreePLOrderRequested for a 3PL; its id derives from the reservation, so a re-send is the same.
 */
export function releaseEvent(
  order: ReleaseOrder,
  s: Shipment,
  routing: string | undefined,
  at: string,
  ctx: StepContext,
): DomainEvent {
  const when = s.releasedAt ?? at;
  const data = {
    orderId: order.orderId,
    channelId: order.channelId,
    externalId: order.externalId,
    reservationId: s.reservationId,
    locationId: s.locationId,
    nodeType: s.nodeType,
    lines: s.lines,
    serviceLevel: order.serviceLevel,
    shipTo: order.shipTo,
    releasedAt: when,
    ...(s.held ? { held: s.held } : {}),
    ...(routing ? { routing } : {}),
  };
  return s.nodeType === '3pl'
    ? orderEvent(ThreePLOrderRequested, data, order.orderId, s.reservationId, when, ctx)
    : orderEvent(OrderReleased, data, order.orderId, s.reservationId, when, ctx);
}
