import type { PoLine } from '../schemas/inbound.ts';

/** Units a SKU has on order at one location, and the POs they come on (earliest expected first). */
export interface IncomingStock {
  locationId: string;
  quantity: number;
  purchaseOrders: { poId: string; expectedAt: string; quantity: number }[];
}

/** Open PO lines of one SKU (ordered − received > 0) per location, in location order. */
export function incomingByLocation(lines: readonly PoLine[]): IncomingStock[] {
  const out = new Map<string, IncomingStock>();
  for (const line of lines) {
    const open = line.quantity - line.received;
    if (open <= 0) continue;
    const at = out.get(line.locationId) ?? { locationId: line.locationId, quantity: 0, purchaseOrders: [] };
    at.quantity += open;
    at.purchaseOrders.push({ poId: line.poId, expectedAt: line.expectedAt, quantity: open });
    out.set(line.locationId, at);
  }
  for (const at of out.values()) {
    at.purchaseOrders.sort(
      (a, b) => a.expectedAt.localeCompare(b.expectedAt) || a.poId.localeCompare(b.poId),
    );
  }
  return [...out.values()].sort((a, b) => a.locationId.localeCompare(b.locationId));
}
