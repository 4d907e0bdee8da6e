import { logger } from '#shared/powertools';
import { BinShort, ReservationClosed, TooMuchContention, UnknownReservation } from '../errors.ts';
import { CLOSED_STATUS, type CloseAction, type Reservation } from '../schemas/reservation.ts';
import type { LastOp } from '../schemas/stock.ts';
import { type BinPick, binsForConsumption, binsFromPicks } from './bin-picks.ts';
import type { InventoryPorts, PositionChange } from './ports.ts';
import { type CommandContext, closingChanges, reservationOpKey } from './reservation-records.ts';

export interface CloseResult {
  reservation: Reservation;
  /** False when the reservation had already been closed this way: nothing changed. */
  applied: boolean;
}

export interface CloseOptions {
  reason?: string;
  /**
   * How long to wait for the record of a reservation the stream has not written yet (a
   * single-position reservation closed right after it was made). @default 5000
   */
  waitForRecordMs?: number;
  /**
   * Consume only: the bins the units leave, which must add up per SKU × location to what the
   * reservation holds (409 PICKS_MISMATCH). Without them the units leave STAGING first, then the
   * other bins, RECEIVING last.
   */
  picks?: readonly BinPick[];
}

const MAX_ATTEMPTS = 10;

/**
 * Releases, consumes (shipment) or expires a reservation, idempotent by reservation id.
 * One transaction moves the record from open to its closed status (the condition `status = open`
 * makes it happen once) and gives back its units on every position item it occupies (each
 * conditioned on `reserved` covering them: the item carries no hold ids, the record is the hold).
 * Closing it again the same way answers the closed record; another way answers 409.
 */
export async function closeReservation(
  ports: InventoryPorts,
  reservationId: string,
  action: CloseAction,
  ctx: CommandContext,
  opts: CloseOptions = {},
): Promise<CloseResult> {
  let reservation = await recordOf(ports, reservationId, opts.waitForRecordMs ?? 5000);
  let skipped = new Set<string>();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (reservation.status !== 'open') {
      if (reservation.status === CLOSED_STATUS[action]) return { reservation, applied: false };
      throw new ReservationClosed(reservationId, reservation.status);
    }
    const at = ports.clock().toISOString();
    const op: LastOp = {
      kind: action,
      at,
      actor: ctx.actor,
      reason: opts.reason ?? defaultReason[action],
      correlationId: ctx.correlationId,
      idempotencyKey: reservationOpKey(reservationId, action),
      reservationId,
    };
    const changes = closingChanges(reservation, action, op).filter((c) => !skipped.has(itemKey(c)));
    // Units that leave the building leave their bins in the same transaction (Σ bins = onHand).
    const bins =
      action !== 'consume'
        ? []
        : opts.picks
          ? binsFromPicks(reservation, opts.picks)
          : ports.bins
            ? await binsForConsumption(ports.bins, reservation)
            : [];
    const [first] = changes;
    if (first && bins.length) first.bins = bins;
    const out = await ports.positions.transact(changes, {
      kind: 'close',
      reservationId,
      action,
      at,
      by: ctx.actor,
      ...(opts.reason ? { reason: opts.reason } : {}),
      ...(reservation.revision === undefined ? {} : { revision: reservation.revision }),
    });
    if (out.status === 'applied') {
      return {
        reservation: {
          ...reservation,
          status: CLOSED_STATUS[action],
          closedAt: at,
          closedBy: ctx.actor,
          ...(opts.reason ? { closeReason: opts.reason } : {}),
        },
        applied: true,
      };
    }
    if (out.reservationFailed) {
      reservation = await recordOf(ports, reservationId, 0);
      if (out.ownRetry && reservation.status === CLOSED_STATUS[action]) return { reservation, applied: true };
      continue;
    }
    if (out.binShort?.length) {
      // Named bins are the caller's word: say they are short. Chosen ones may have just changed.
      const [short] = out.binShort;
      if (opts.picks && short) throw new BinShort({ ...short, requested: -short.delta });
      reservation = await recordOf(ports, reservationId, 0);
      continue;
    }
    // An item's reserved no longer covers the units (data damaged by hand, or an item gone):
    // close the record without touching that item, so reserved never goes below zero.
    const notHeld = changes.filter((_, i) => {
      const status = out.changes[i]?.status;
      return status === 'not-held' || status === 'missing';
    });
    if (notHeld.length) {
      // A short pick changed the holds since the record was read: read it again first.
      const fresh = await recordOf(ports, reservationId, 0);
      if (fresh.revision !== reservation.revision || fresh.status !== reservation.status) {
        reservation = fresh;
        continue;
      }
      logger.warn('Closing a reservation whose units are not reserved on some items', {
        reservationId,
        items: notHeld.map(itemKey),
      });
      skipped = new Set([...skipped, ...notHeld.map(itemKey)]);
      continue;
    }
    throw new Error(
      `Closing reservation ${reservationId} failed: ${out.changes.map((c) => c?.status ?? 'ok').join(', ')}`,
    );
  }
  throw new TooMuchContention(`Closing reservation ${reservationId}`);
}

const defaultReason: Record<CloseAction, string> = {
  release: 'reservation released',
  consume: 'shipped',
  expire: 'hold expired',
};

const itemKey = (c: PositionChange) => `${c.key.sku}\u0000${c.key.locationId}\u0000${c.key.shard}`;

/**
 * The reservation record. A single-position reservation's record is written by the stream a
 * moment after the reservation, so a close that arrives first waits for it.
 */
export async function recordOf(ports: InventoryPorts, id: string, waitMs: number): Promise<Reservation> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    const found = await ports.reservations.get(id);
    if (found) return found;
    if (Date.now() >= deadline) throw new UnknownReservation(id);
    await new Promise((r) => setTimeout(r, Math.min(250, 25 * 2 ** attempt)));
  }
}

export interface SweepResult {
  expired: string[];
  failed: { reservationId: string; error: string }[];
}

/**
 * Expires open holds whose expiry has passed. Run on a schedule; TTL is never relied on (its
 * deletes can lag by up to 48 h and would not give the units back).
 */
export async function sweepExpiredReservations(
  ports: InventoryPorts,
  opts: { limit?: number; correlationId?: string } = {},
): Promise<SweepResult> {
  const now = ports.clock().toISOString();
  const due = await ports.reservations.expiredBefore(now, opts.limit ?? 500);
  const result: SweepResult = { expired: [], failed: [] };
  for (const r of due) {
    try {
      const out = await closeReservation(
        ports,
        r.reservationId,
        'expire',
        { actor: 'system:reservation-sweeper', correlationId: opts.correlationId ?? `sweep:${now}` },
        { waitForRecordMs: 0 },
      );
      if (out.applied) result.expired.push(r.reservationId);
    } catch (error) {
      // Closed another way meanwhile, or a transient failure: the next sweep looks again.
      result.failed.push({ reservationId: r.reservationId, error: (error as Error).message });
    }
  }
  return result;
}
