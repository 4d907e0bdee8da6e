import { BinShort, PicksMismatch } from '../errors.ts';
import { type BinStock, RECEIVING_BIN, STAGING_BIN } from '../schemas/bins.ts';
import type { Allocation, Reservation } from '../schemas/reservation.ts';
import type { BinChange, BinStore } from './ports.ts';

/** Per SKU × location: the units a reservation holds there. */
export function heldPerPosition(allocations: readonly Allocation[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of allocations) out.set(positionId(a), (out.get(positionId(a)) ?? 0) + a.quantity);
  return out;
}

export const positionId = (p: { sku: string; locationId: string }) => `${p.sku}\u0000${p.locationId}`;

/**
 * The bins a consumption that names none takes its units from (`POST /api/reservations/{id}/consume`
 * and the reservation task): picked units first (STAGING), then defined bins by id, RECEIVING last.
 * Throws BIN_SHORT when the bins hold fewer units than the reservation (Σ bins = onHand, so only a
 * broken invariant or a concurrent change gets here).
 */
export async function binsForConsumption(bins: BinStore, reservation: Reservation): Promise<BinChange[]> {
  const out: BinChange[] = [];
  for (const [id, quantity] of heldPerPosition(reservation.allocations)) {
    if (quantity <= 0) continue;
    const [sku = '', locationId = ''] = id.split('\u0000');
    const rank = (b: BinStock) => (b.binId === STAGING_BIN ? 0 : b.binId === RECEIVING_BIN ? 2 : 1);
    const stock = (await bins.stockOf(sku, locationId))
      .filter((b) => b.quantity > 0)
      .sort((a, b) => rank(a) - rank(b) || a.binId.localeCompare(b.binId));
    let left = quantity;
    for (const b of stock) {
      if (left === 0) break;
      const take = Math.min(left, b.quantity);
      out.push({ sku, locationId, binId: b.binId, delta: -take });
      left -= take;
    }
    if (left > 0) {
      throw new BinShort({
        sku,
        locationId,
        binId: stock.map((b) => b.binId).join(',') || RECEIVING_BIN,
        requested: quantity,
        available: quantity - left,
      });
    }
  }
  return out;
}

/** Which bin units of a consumed reservation leave from. */
export interface BinPick {
  sku: string;
  locationId: string;
  binId: string;
  quantity: number;
}

/**
 * The bin changes of a consumption whose caller named the bins: per SKU × location the picks
 * must add up to exactly what the reservation holds there (409 PICKS_MISMATCH otherwise).
 */
export function binsFromPicks(reservation: Reservation, picks: readonly BinPick[]): BinChange[] {
  const held = heldPerPosition(reservation.allocations);
  const picked = new Map<string, number>();
  const byBin = new Map<string, BinChange>();
  for (const p of picks) {
    picked.set(positionId(p), (picked.get(positionId(p)) ?? 0) + p.quantity);
    const id = `${positionId(p)}\u0000${p.binId}`;
    const change = byBin.get(id) ?? { sku: p.sku, locationId: p.locationId, binId: p.binId, delta: 0 };
    change.delta -= p.quantity;
    byBin.set(id, change);
  }
  const mismatches = [...new Set([...held.keys(), ...picked.keys()])]
    .map((id) => {
      const [sku = '', locationId = ''] = id.split('\u0000');
      return { sku, locationId, held: held.get(id) ?? 0, picked: picked.get(id) ?? 0 };
    })
    .filter((m) => m.held !== m.picked);
  if (mismatches.length || picks.some((p) => !Number.isInteger(p.quantity) || p.quantity < 0)) {
    throw new PicksMismatch(reservation.reservationId, mismatches);
  }
  return [...byBin.values()].filter((c) => c.delta !== 0);
}
