import {
  binStockOf,
  binsAt,
  locationOf,
  moveBetweenBins,
  reservationOf,
  shortPickReservation,
} from '#inventory/api';
import type { InventoryPort } from '../core/ports.ts';

/** How long a release waits for its reservation record: 40 × 250 ms. */
const RESERVATION_LOOKS = 40;
const RESERVATION_PAUSE_MS = 250;

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
      return (await locationOf(locationId))?.timezone ?? 'UTC';
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
