import { bucketsOf } from '../core/stock-position.ts';
import type { LocationStock } from '../core/stock-view.ts';
import type { Reservation } from '../schemas/reservation.ts';
import type { StockPosition } from '../schemas/stock.ts';

/** A position item as clients see it: buckets and available, no bookkeeping (holds, keys, lastOp). */
export function positionItemView(p: StockPosition) {
  return {
    sku: p.sku,
    locationId: p.locationId,
    shard: p.shard,
    ...bucketsOf(p),
    version: p.version,
    updatedAt: p.updatedAt,
  };
}

/** One location's position, shards summed. */
export function locationView(l: LocationStock, shards: number) {
  return {
    locationId: l.locationId,
    ...l.buckets,
    updatedAt: l.updatedAt,
    ...(shards > 1 ? { shards } : {}),
  };
}

/** A reservation as clients see it (the first answer and every replay are this same shape). */
export function reservationView(r: Reservation) {
  const { via: _via, revision: _revision, shortPickKeys: _keys, ...rest } = r;
  return { ...rest, allocations: r.allocations.map(({ version: _v, ...a }) => a) };
}
