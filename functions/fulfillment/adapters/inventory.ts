import {
  binStockOf,
  binsAt,
  locationOf,
  moveBetweenBins,
  reservationOf,
  shortPickReservation,
} from '#inventory/api';
import { positiveCache } from '#shared/positive-cache';
import type { InventoryPort } from '../core/ports.ts';

/** How long a release waits for its reservation record: 40 × 250 ms. */
const RESERVATION_LOOKS = 40;
const RESERVATION_PAUSE_MS = 250;
/**
 * A node's time zone is read for every release (its carrier cutoff): kept a minute, so a burst
 * of releases costs one read per node; a changed zone is seen within the minute.
 */
const timeZones = positiveCache<string>(60_000, 1_000);

/** Inventory's published functions behind fulfillment's port (bins, moves, reservations, short picks). */
export function inventoryPort(): InventoryPort {
  return {
    async reservation(reservationId) {
      // A single-position reservation's record is written by inventory's stream consumer, so it
      // may trail the OrderReleased that names it by a moment: look again before giving up.
      for (let attempt = 0; ; attempt++) {
        const r = await reservationOf(reservationId);
        if (r) return { status: r.status, lines: r.lines, allocations: r.allocations };
        if (attempt >= RESERVATION_LOOKS) return undefined;
        await new Promise((resolve) => setTimeout(resolve, RESERVATION_PAUSE_MS));
      }
    },
    async reservationStatus(reservationId) {
      return (await reservationOf(reservationId))?.status;
    },
    async timeZoneOf(locationId) {
      const cached = timeZones.get(locationId);
      if (cached) return cached;
      const location = await locationOf(locationId);
      const zone = location?.timezone ?? 'UTC';
      if (location) timeZones.set(locationId, zone);
      return zone;
    },
    binStockOf,
    async binCodesAt(locationId) {
      const bins = await binsAt(locationId);
      return new Map(bins.map((b) => [b.binId, b.barcode ?? b.binId]));
    },
    moveBetweenBins,
    async shortPickReservation(cmd, ctx) {
      const out = await shortPickReservation(cmd, ctx);
      return { applied: out.applied };
    },
  };
}
