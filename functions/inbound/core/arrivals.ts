import type { PoLine } from '../schemas/inbound.ts';
import type { TransferInTransit } from '../schemas/transfers.ts';

/** What is on its way for one SKU, as order release reads it for backorder promises. */
export interface SkuArrivals {
  /** Open PO lines (ordered − received) and shipped transfers, per location and day, earliest first. */
  arrivals: { locationId: string; expectedAt: string; quantity: number }[];
  /** The shortest lead time of the suppliers with an open PO for the SKU, in days. */
  leadTimeDays?: number;
}

/**
 * One SKU's arrivals from its open PO lines and transfers in transit; `leadTimeOf` gives a PO's
 * supplier lead time (undefined when the PO or supplier is gone).
 */
export async function arrivalsOf(
  lines: readonly PoLine[],
  transfers: readonly TransferInTransit[],
  leadTimeOf: (poId: string) => Promise<number | undefined>,
): Promise<SkuArrivals> {
  const open = lines.filter((l) => l.quantity - l.received > 0);
  const arrivals = [
    ...open.map((l) => ({
      locationId: l.locationId,
      expectedAt: l.expectedAt,
      quantity: l.quantity - l.received,
    })),
    ...transfers.map((t) => ({ locationId: t.toLocationId, expectedAt: t.expectedAt, quantity: t.quantity })),
  ].sort((a, b) => a.expectedAt.localeCompare(b.expectedAt) || a.locationId.localeCompare(b.locationId));
  const leadTimes = (await Promise.all([...new Set(open.map((l) => l.poId))].map(leadTimeOf))).filter(
    (d): d is number => d !== undefined,
  );
  return { arrivals, ...(leadTimes.length ? { leadTimeDays: Math.min(...leadTimes) } : {}) };
}
