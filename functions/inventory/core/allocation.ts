import type { Sku } from '#catalog/api';
import { bucketOf } from '../keys.ts';
import type { ReservationLine } from '../schemas/reservation.ts';

/** A demand on one SKU (at one location, when known), traced back to the request line. */
export interface Demand {
  lineIndex: number;
  sku: string;
  locationId?: string;
  quantity: number;
  kitSku?: string;
  substituteFor?: string;
}

/** Demands that hit the same position, summed: one write per position item. */
export interface PositionDemand {
  sku: string;
  locationId: string;
  quantity: number;
  parts: Demand[];
}

/**
 * Replaces kit lines by their components (quantity × component quantity); other lines pass
 * through. `catalog` must contain every line's SKU.
 */
export function explodeKits(lines: readonly ReservationLine[], catalog: ReadonlyMap<string, Sku>): Demand[] {
  return lines.flatMap((line, lineIndex): Demand[] => {
    const components = catalog.get(line.sku)?.kit?.components;
    const where = line.locationId ? { locationId: line.locationId } : {};
    if (!components?.length) return [{ lineIndex, sku: line.sku, quantity: line.quantity, ...where }];
    return components.map((c) => ({
      lineIndex,
      sku: c.sku,
      quantity: c.quantity * line.quantity,
      kitSku: line.sku,
      ...where,
    }));
  });
}

/** Sums demands per (sku, location): lines that hit the same position become one write. */
export function sumByPosition(demands: readonly (Demand & { locationId: string })[]): PositionDemand[] {
  const groups = new Map<string, PositionDemand>();
  for (const d of demands) {
    const key = `${d.sku}\u0000${d.locationId}`;
    const g = groups.get(key) ?? { sku: d.sku, locationId: d.locationId, quantity: 0, parts: [] };
    g.quantity += d.quantity;
    g.parts.push(d);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** The shard a reservation tries first: stable per reservation, so a retry lands on the same item. */
export function homeShard(reservationId: string, sku: string, locationId: string, shards: number): number {
  return shards <= 1 ? 0 : bucketOf(`${reservationId}\u0000${sku}\u0000${locationId}`, shards);
}

/**
 * Splits `quantity` over shard items: all on the home shard when it can, otherwise greedily
 * from the fullest shards. Undefined when the shards together cannot cover it.
 */
export function distribute(
  shards: readonly { shard: number; available: number }[],
  quantity: number,
  home: number,
): { shard: number; quantity: number }[] | undefined {
  const homeItem = shards.find((s) => s.shard === home);
  if (homeItem && homeItem.available >= quantity) return [{ shard: home, quantity }];
  const out: { shard: number; quantity: number }[] = [];
  let remaining = quantity;
  const byAvailable = [...shards]
    .filter((s) => s.available > 0)
    .sort((a, b) => b.available - a.available || a.shard - b.shard);
  for (const s of byAvailable) {
    if (remaining === 0) break;
    const take = Math.min(s.available, remaining);
    out.push({ shard: s.shard, quantity: take });
    remaining -= take;
  }
  return remaining === 0 ? out : undefined;
}

/** Kit availability at one place: min over components of floor(component available ÷ qty per kit). */
export function kitAvailability(
  components: readonly { sku: string; quantity: number }[],
  availableOf: (sku: string) => number,
): number {
  if (components.length === 0) return 0;
  return Math.max(
    0,
    Math.min(...components.map((c) => Math.floor(Math.max(0, availableOf(c.sku)) / c.quantity))),
  );
}

/**
 * Picks the location for a line that names none: the one that can cover the whole line and has
 * the most to spare (ties: the lexically first id, so the choice is stable).
 */
export function chooseLocation(
  candidates: readonly { locationId: string; available: number }[],
  quantity: number,
): string | undefined {
  return [...candidates]
    .filter((c) => c.available >= quantity)
    .sort((a, b) => b.available - a.available || a.locationId.localeCompare(b.locationId))[0]?.locationId;
}
