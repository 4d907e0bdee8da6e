import type { PoLine } from '../schemas/inbound.ts';
import type { TransferInTransit } from '../schemas/transfers.ts';

/** Units a SKU has on order at one location, and the POs they come on (earliest expected first). */
export interface IncomingStock {
  locationId: string;
  quantity: number;
  purchaseOrders: { poId: string; expectedAt: string; quantity: number }[];
  /** Transfers shipped to the location and not received yet (in its inTransit bucket). */
  transfers?: { transferId: string; fromLocationId: string; expectedAt: string; quantity: number }[];
}

/**
 * Open PO lines of one SKU (ordered − received > 0) and transfers on their way to a location, per
 * location, in location order; `quantity` counts both.
 */
export function incomingByLocation(
  lines: readonly PoLine[],
  transfers: readonly TransferInTransit[] = [],
): IncomingStock[] {
  const out = new Map<string, IncomingStock>();
  for (const line of lines) {
    const open = line.quantity - line.received;
    if (open <= 0) continue;
    const at = out.get(line.locationId) ?? { locationId: line.locationId, quantity: 0, purchaseOrders: [] };
    at.quantity += open;
    at.purchaseOrders.push({ poId: line.poId, expectedAt: line.expectedAt, quantity: open });
    out.set(line.locationId, at);
  }
  for (const t of transfers) {
    const at = out.get(t.toLocationId) ?? { locationId: t.toLocationId, quantity: 0, purchaseOrders: [] };
    at.quantity += t.quantity;
    at.transfers = [
      ...(at.transfers ?? []),
      {
        transferId: t.transferId,
        fromLocationId: t.fromLocationId,
        expectedAt: t.expectedAt,
        quantity: t.quantity,
      },
    ].sort((a, b) => a.expectedAt.localeCompare(b.expectedAt) || a.transferId.localeCompare(b.transferId));
    out.set(t.toLocationId, at);
  }
  for (const at of out.values()) {
    at.purchaseOrders.sort(
      (a, b) => a.expectedAt.localeCompare(b.expectedAt) || a.poId.localeCompare(b.poId),
    );
  }
  return [...out.values()].sort((a, b) => a.locationId.localeCompare(b.locationId));
}
