import type { BucketsWithAvailable, PositionKey, StockPosition } from '../schemas/stock.ts';
import type { PositionStore } from './ports.ts';
import { sumBuckets } from './stock-position.ts';

/** One location's position: its shard items summed. */
export interface LocationStock {
  locationId: string;
  buckets: BucketsWithAvailable;
  items: StockPosition[];
  updatedAt: string;
}

export interface SkuStock {
  sku: string;
  shards: number;
  locations: LocationStock[];
}

/** Every position of a SKU, shards summed per location (consistent reads). */
export async function readSkuStock(positions: PositionStore, sku: string): Promise<SkuStock> {
  const { heads, shards } = await positions.headsOf(sku);
  const locations = await Promise.all(
    heads.map(async (head) => {
      const items = shards > 1 ? await positions.shardsOf(sku, head.locationId, shards) : [head];
      return {
        locationId: head.locationId,
        buckets: sumBuckets(items),
        items,
        updatedAt:
          items
            .map((i) => i.updatedAt)
            .sort()
            .at(-1) ?? head.updatedAt,
      };
    }),
  );
  return { sku, shards, locations: locations.sort((a, b) => a.locationId.localeCompare(b.locationId)) };
}

/**
 * Makes sure a position item exists before a command that may be its first. The head (shard 0)
 * is always created too, so one Query on the SKU finds every location.
 */
export async function ensurePosition(positions: PositionStore, key: PositionKey): Promise<void> {
  if (key.shard !== 0) await positions.ensure({ ...key, shard: 0 });
  await positions.ensure(key);
}
