import type { RecentStock } from '../core/ports.ts';
import type { StockSnapshot } from '../schemas.ts';

/** How old a SKU's stock may be when the fast path makes its first plan from it. */
export const RECENT_STOCK_MS = 500;

/** Beyond this many SKUs remembered, the expired ones are dropped (a long-lived container, a big catalog). */
const PRUNE_ABOVE = 5_000;

type SnapshotOf = (skus: readonly string[]) => Promise<StockSnapshot>;
type AtLocations = NonNullable<ReturnType<StockSnapshot['get']>>;

/**
 * Routing's stock reads, with a memory of the last one per SKU in this container.
 * - `snapshot` always reads (and remembers what it read);
 * - `recent.of` answers from a read at most RECENT_STOCK_MS old, less what this container reserved
 *   since. A hot SKU was read again for every order: on a sharded SKU, a Query and a batch of
 *   reads per order, most of the release's reads. The reservation is the guard, not this number:
 *   fast-path.ts trusts it only for a plan that reserves, and plans again from `snapshot` when the
 *   reservation is refused or the plan would backorder, split or substitute.
 * Reads in flight are shared; a failed read is not kept.
 */
export function recentStock(read: SnapshotOf, now: () => number = Date.now) {
  const cache = new Map<string, { at: number; value: Promise<AtLocations> }>();

  const remember = (skus: readonly string[], at: number, fetched: Promise<StockSnapshot>) => {
    if (cache.size > PRUNE_ABOVE) {
      for (const [sku, hit] of cache) if (at - hit.at >= RECENT_STOCK_MS) cache.delete(sku);
    }
    for (const sku of skus) {
      const value = fetched.then((found) => found.get(sku) ?? new Map());
      value.catch(() => {
        if (cache.get(sku)?.value === value) cache.delete(sku);
      });
      cache.set(sku, { at, value });
    }
  };

  const snapshot: SnapshotOf = async (skus) => {
    const fetched = read(skus);
    remember(skus, now(), fetched);
    return fetched;
  };

  const recent: RecentStock = {
    async of(skus) {
      const at = now();
      const missing = skus.filter((sku) => {
        const hit = cache.get(sku);
        return !hit || at - hit.at >= RECENT_STOCK_MS;
      });
      if (missing.length > 0) remember(missing, at, read(missing));
      const out: StockSnapshot = new Map();
      for (const sku of skus) {
        const byLocation = await (cache.get(sku)?.value ?? Promise.resolve<AtLocations>(new Map()));
        // A copy: routing must not change the remembered numbers.
        out.set(sku, new Map([...byLocation].map(([locationId, s]) => [locationId, { ...s }])));
      }
      return { stock: out, fresh: missing.length === skus.length };
    },
    reserved(sku, locationId, quantity) {
      void cache.get(sku)?.value.then((byLocation) => {
        const at = byLocation.get(locationId);
        if (at) byLocation.set(locationId, { ...at, available: at.available - quantity });
      });
    },
    stale(skus) {
      for (const sku of skus) cache.delete(sku);
    },
  };

  /** How many SKUs are remembered (expired ones included until pruned). */
  const remembered = () => cache.size;

  return { snapshot, recent, remembered };
}
