import { createHash } from 'node:crypto';
import { createEvent, type DomainEvent, type EventPublisher } from '#shared/events';
import { logger } from '#shared/powertools';
import { ReservationConsumed } from '../events/reservation-consumed.ts';
import { ReservationExpired } from '../events/reservation-expired.ts';
import { ReservationReleased } from '../events/reservation-released.ts';
import { StockAdjusted } from '../events/stock-adjusted.ts';
import { StockMoved } from '../events/stock-moved.ts';
import { StockReceived } from '../events/stock-received.ts';
import { StockReserved } from '../events/stock-reserved.ts';
import type { Reservation } from '../schemas/reservation.ts';
import type { LastOp, Movement, PositionKey, StockPosition } from '../schemas/stock.ts';
import { type ChannelPorts, recomputeChannelAvailability } from './channel-availability.ts';
import { movementOf } from './ledger.ts';
import type { InventoryPorts } from './ports.ts';
import { compensationKey, singlePositionReservation } from './reservation-records.ts';
import { releaseDeltas } from './stock-position.ts';

/** One stream record, images already unmarshalled. */
export interface StreamChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  oldImage?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
}

/** Command keys stay on a position item this long; a retry after that is answered as new. */
export const DONE_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface ConsumerPorts extends InventoryPorts {
  channels?: Omit<ChannelPorts, 'positions' | 'catalog' | 'clock'>;
  /** Maps an item image to the domain shape (the adapter's mapping). */
  toPosition(item: Record<string, unknown>): StockPosition;
  toReservation(item: Record<string, unknown>): Reservation;
}

export interface ConsumerReport {
  movements: number;
  reservationsWritten: number;
  compensated: number;
  events: number;
}

/**
 * Turns the table stream into the ledger, the records and the events that follow from writes:
 * 1. every position write (version went up) → exactly one ledger movement, id = item + version
 * 2. a single-position reservation → its reservation record (a late duplicate that reserved
 *    again after the retry window is compensated: its units are given back, once)
 * 3. command keys older than the retention → pruned from the item (not a change: no version)
 * 4. reservation record status changes → StockReserved / ReservationReleased / …Consumed / …Expired;
 *    keyed commands → StockAdjusted / StockReceived / StockMoved
 * 5. SKUs whose available changed → per-channel availability recomputed, changes announced
 * Everything is idempotent: the stream delivers at least once and a batch may be retried whole.
 */
export async function processStockStream(
  ports: ConsumerPorts,
  changes: readonly StreamChange[],
): Promise<ConsumerReport> {
  const movements: Movement[] = [];
  const singles: {
    reservation: Reservation;
    key: PositionKey;
    quantity: number;
    op: LastOp;
    version: number;
  }[] = [];
  const prunes = new Map<string, { key: PositionKey; keys: string[] }>();
  const changedSkus = new Set<string>();
  const events: DomainEvent[] = [];
  const now = ports.clock().getTime();

  for (const change of changes) {
    const image = change.newImage;
    if (!image) continue;
    if (image.entity === 'StockPosition') {
      const after = ports.toPosition(image);
      const before = change.oldImage ? ports.toPosition(change.oldImage) : undefined;
      const done = Object.entries(after.done).filter(([, at]) => now - Date.parse(at) > DONE_RETENTION_MS);
      const key = { sku: after.sku, locationId: after.locationId, shard: after.shard };
      if (done.length) {
        prunes.set(itemId(key), { key, keys: done.map(([k]) => k) });
      }
      if ((before?.version ?? 0) === after.version) continue; // created empty, or pruned: not a change
      const movement = movementOf({
        key,
        version: after.version,
        before: before ?? {},
        after,
        op: after.lastOp,
        fallbackAt: after.updatedAt,
      });
      movements.push(movement);
      if ((before?.available ?? 0) !== after.available) changedSkus.add(after.sku);
      const op = after.lastOp;
      if (op?.kind === 'reserve' && op.via === 'single' && op.reservationId) {
        // One write, one reservation: what it reserved is what `reserved` went up by.
        const held = after.reserved - (before?.reserved ?? 0);
        singles.push({
          reservation: singlePositionReservation({
            reservationId: op.reservationId,
            lines: op.lines ?? [{ sku: key.sku, locationId: key.locationId, quantity: held }],
            ...(op.expiresAt ? { expiresAt: op.expiresAt } : {}),
            key,
            version: after.version,
            at: op.at,
            actor: op.actor,
            correlationId: op.correlationId,
          }),
          key,
          quantity: held,
          op,
          version: after.version,
        });
      }
      const commandEvent = eventOfCommand(movement, after);
      if (commandEvent) events.push(commandEvent);
    } else if (image.entity === 'Reservation') {
      const reservation = ports.toReservation(image);
      const previous = change.oldImage?.status;
      if (previous !== reservation.status) {
        const event = eventOfReservation(reservation);
        if (event) events.push(event);
      }
    }
  }

  await ports.ledger.putAll(movements);
  let written = 0;
  let compensated = 0;
  for (const s of singles) {
    const out = await ports.reservations.createIfAbsent(s.reservation);
    if (out.created) {
      written++;
      continue;
    }
    const existing = out.existing;
    const isOriginal =
      existing.via === 'single' &&
      existing.allocations.some(
        (a) =>
          a.sku === s.key.sku &&
          a.locationId === s.key.locationId &&
          a.shard === s.key.shard &&
          a.version === s.version,
      );
    if (isOriginal || s.quantity <= 0) continue;
    // A repeat reached the item after the retry window (or spread over another shard first): its
    // record is another write's, so give these units back — once, under a command key on the item
    // that the reserving call's own undo (sharded SKUs) uses too; a redelivery finds it there.
    const key = compensationKey(s.reservation.reservationId, s.op.at);
    const undo = await ports.positions.apply({
      key: s.key,
      deltas: releaseDeltas(s.quantity),
      commandKey: key,
      op: {
        kind: 'release',
        at: ports.clock().toISOString(),
        actor: 'system:ledger',
        reason: 'late duplicate of a reservation compensated',
        correlationId: s.op.correlationId,
        idempotencyKey: key,
        reservationId: s.reservation.reservationId,
      },
    });
    if (undo.status === 'applied') {
      compensated++;
      logger.warn('Compensated a late duplicate reservation', {
        reservationId: s.reservation.reservationId,
        ...s.key,
      });
    }
  }
  for (const p of prunes.values()) await ports.positions.pruneDone(p.key, p.keys);

  if (ports.channels && changedSkus.size > 0) {
    events.push(
      ...(await recomputeChannelAvailability(
        { ...ports.channels, positions: ports.positions, catalog: ports.catalog, clock: ports.clock },
        changedSkus,
        { correlationId: `stream:${[...changedSkus].slice(0, 3).join(',')}` },
      )),
    );
  }
  await publishAll(ports.events, events);
  return { movements: movements.length, reservationsWritten: written, compensated, events: events.length };
}

const itemId = (k: PositionKey) => `${k.sku}\u0000${k.locationId}\u0000${k.shard}`;

/** A UUID-shaped id derived from a seed: a redelivered record republishes the same event id. */
export function stableEventId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function withStableId<T extends DomainEvent>(event: T, seed: string): T {
  event.detail.metadata.eventId = stableEventId(seed);
  return event;
}

function eventOfCommand(m: Movement, after: StockPosition): DomainEvent | undefined {
  const ctx = { correlationId: m.correlationId, now: () => new Date(m.occurredAt) };
  const common = {
    movementId: m.movementId,
    sku: m.sku,
    locationId: m.locationId,
    reason: m.reason,
    actor: m.actor,
    idempotencyKey: m.idempotencyKey,
  };
  const deltas = m.deltas as Record<string, number>;
  switch (m.kind) {
    case 'adjust':
      return withStableId(
        createEvent(
          StockAdjusted,
          { ...common, bucket: m.bucket, delta: m.delta, onHand: after.onHand, available: after.available },
          ctx,
        ),
        `StockAdjusted:${m.movementId}`,
      );
    case 'receive':
      return withStableId(
        createEvent(
          StockReceived,
          { ...common, deltas, onHand: after.onHand, available: after.available },
          ctx,
        ),
        `StockReceived:${m.movementId}`,
      );
    case 'move':
      return withStableId(
        createEvent(StockMoved, { ...common, deltas, available: after.available }, ctx),
        `StockMoved:${m.movementId}`,
      );
    default:
      return undefined;
  }
}

function eventOfReservation(r: Reservation): DomainEvent | undefined {
  const data = {
    reservationId: r.reservationId,
    lines: r.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      ...(l.locationId ? { locationId: l.locationId } : {}),
    })),
    allocations: r.allocations.map(({ version: _v, ...a }) => a),
    ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}),
    actor: r.actor,
  };
  const closed = {
    ...data,
    closedAt: r.closedAt ?? r.createdAt,
    closedBy: r.closedBy ?? 'unknown',
    ...(r.closeReason ? { reason: r.closeReason } : {}),
  };
  const ctx = { correlationId: r.correlationId, now: () => new Date(r.closedAt ?? r.createdAt) };
  const seed = `${r.reservationId}:${r.status}`;
  switch (r.status) {
    case 'open':
      return withStableId(createEvent(StockReserved, data, ctx), seed);
    case 'released':
      return withStableId(createEvent(ReservationReleased, closed, ctx), seed);
    case 'consumed':
      return withStableId(createEvent(ReservationConsumed, closed, ctx), seed);
    case 'expired':
      return withStableId(createEvent(ReservationExpired, closed, ctx), seed);
    default:
      return undefined;
  }
}

async function publishAll(events: EventPublisher, list: readonly DomainEvent[]): Promise<void> {
  if (list.length) await events.publish(list);
}
