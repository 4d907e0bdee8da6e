import type { Allocation, Reservation, ReservationLine } from '../schemas/reservation.ts';
import type { LastOp, PositionKey } from '../schemas/stock.ts';
import type { PositionChange } from './ports.ts';
import { consumeDeltas, releaseDeltas, reserveDeltas } from './stock-position.ts';

export interface CommandContext {
  actor: string;
  correlationId: string;
}

/** The ledger's idempotency key for a reservation step: the reservation id and what happened. */
export const reservationOpKey = (reservationId: string, kind: string) => `res:${reservationId}:${kind}`;

/**
 * What makes a single-position reservation's write recognisable when sent again: the id, the
 * item and the quantity — not the time or the caller, which differ between a client's retries.
 */
export const reserveRetryKey = (reservationId: string, key: PositionKey, quantity: number) =>
  `res:${reservationId}:${key.sku}:${key.locationId}:${key.shard}:${quantity}`;

/**
 * The command key that gives back the units of one repeated single-position write (the attempt
 * made at `at`), recorded on the item: the reserving call (sharded SKUs) and the stream consumer
 * may both try, and only one gives them back.
 */
export const compensationKey = (reservationId: string, at: string) => `res:${reservationId}:undo:${at}`;

/**
 * What a reservation write leaves on the item. Kept small: every byte and attribute of the hot
 * item is paid on each write. Reason and idempotency key follow from the kind and the id.
 */
export function reserveOp(
  reservationId: string,
  ctx: CommandContext,
  at: string,
  via: 'single' | 'tx',
  request?: { lines?: ReservationLine[]; expiresAt?: string },
): LastOp {
  return {
    kind: 'reserve',
    at,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    reservationId,
    via,
    ...(request?.lines ? { lines: request.lines } : {}),
    ...(request?.expiresAt ? { expiresAt: request.expiresAt } : {}),
  };
}

/**
 * The lines a single-position reservation records: one line is exactly the item's sku,
 * location and held quantity, so only several lines (summed onto the item) travel in `lastOp`.
 */
export function singlePositionLines(lines: readonly ReservationLine[]): {
  recorded: ReservationLine[];
  carried?: ReservationLine[];
} {
  const [first] = lines;
  if (lines.length === 1 && first?.locationId) {
    return { recorded: [{ sku: first.sku, locationId: first.locationId, quantity: first.quantity }] };
  }
  return { recorded: [...lines], carried: [...lines] };
}

/** The lines of a request that all hit one position, or undefined when they do not. */
export function singlePosition(
  lines: readonly ReservationLine[],
): { sku: string; locationId: string; quantity: number } | undefined {
  const first = lines[0];
  if (!first?.locationId) return undefined;
  if (!lines.every((l) => l.sku === first.sku && l.locationId === first.locationId)) return undefined;
  return {
    sku: first.sku,
    locationId: first.locationId,
    quantity: lines.reduce((s, l) => s + l.quantity, 0),
  };
}

/**
 * The reservation record of a single-position reservation. The reserving call answers with it
 * and the stream consumer writes exactly it, from the request the write left in `lastOp`.
 */
export function singlePositionReservation(input: {
  reservationId: string;
  lines: ReservationLine[];
  expiresAt?: string;
  key: PositionKey;
  /** The position version that recorded the hold (known to the stream, not to the caller). */
  version?: number;
  at: string;
  actor: string;
  correlationId: string;
}): Reservation {
  return {
    reservationId: input.reservationId,
    status: 'open',
    lines: input.lines,
    allocations: input.lines.map((line, lineIndex) => ({
      lineIndex,
      sku: input.key.sku,
      locationId: input.key.locationId,
      shard: input.key.shard,
      quantity: line.quantity,
      ...(input.version === undefined ? {} : { version: input.version }),
    })),
    ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
    createdAt: input.at,
    actor: input.actor,
    correlationId: input.correlationId,
    via: 'single',
  };
}

/** Allocations summed per position item: what each item's hold carries. */
export function holdsByItem(allocations: readonly Allocation[]): (PositionKey & { quantity: number })[] {
  const byItem = new Map<string, PositionKey & { quantity: number }>();
  for (const a of allocations) {
    const key = `${a.sku}\u0000${a.locationId}\u0000${a.shard}`;
    const item = byItem.get(key) ?? { sku: a.sku, locationId: a.locationId, shard: a.shard, quantity: 0 };
    item.quantity += a.quantity;
    byItem.set(key, item);
  }
  return [...byItem.values()];
}

/** The position changes that give back a reservation's units on its items (release, expire, consume). */
export function closingChanges(
  reservation: Reservation,
  action: 'release' | 'consume' | 'expire',
  op: LastOp,
): PositionChange[] {
  return holdsByItem(reservation.allocations).map((item) => ({
    key: { sku: item.sku, locationId: item.locationId, shard: item.shard },
    deltas: action === 'consume' ? consumeDeltas(item.quantity) : releaseDeltas(item.quantity),
    op,
  }));
}

/** The position changes of a reservation made in one transaction (its record is the anchor). */
export function reservingChanges(allocations: readonly Allocation[], op: LastOp): PositionChange[] {
  return holdsByItem(allocations).map((item) => ({
    key: { sku: item.sku, locationId: item.locationId, shard: item.shard },
    deltas: reserveDeltas(item.quantity),
    op,
  }));
}
