import type { SkuArrivals } from '#inbound/api';

/** How long one container reuses a SKU's expected arrivals for backorder promises. */
export const ARRIVALS_CACHE_MS = 2_000;

type ArrivalsOf = (skus: readonly string[]) => Promise<ReadonlyMap<string, SkuArrivals>>;

/**
 * Inbound's arrivals per SKU (two index queries each), reused for ARRIVALS_CACHE_MS. A flash sale
 * backorders thousands of orders of one SKU within seconds, and each promise read them again: two
 * of the three reads of a backordered order. The indexes behind them already lag a moment, so a
 * promise may miss a PO placed up to that much longer ago. Reads in flight are shared.
 */
export function cachedArrivals(read: ArrivalsOf, now: () => number = Date.now): ArrivalsOf {
  const cache = new Map<string, { at: number; value: Promise<SkuArrivals | undefined> }>();
  return async (skus) => {
    const at = now();
    const missing = skus.filter((sku) => {
      const hit = cache.get(sku);
      return !hit || at - hit.at >= ARRIVALS_CACHE_MS;
    });
    if (missing.length > 0) {
      const fetched = read(missing);
      for (const sku of missing) {
        const value = fetched.then((found) => found.get(sku));
        // A failed read is not kept: the next order reads again.
        value.catch(() => {
          if (cache.get(sku)?.value === value) cache.delete(sku);
        });
        cache.set(sku, { at, value });
      }
    }
    const out = new Map<string, SkuArrivals>();
    for (const sku of skus) {
      const value = await cache.get(sku)?.value;
      if (value) out.set(sku, value);
    }
    return out;
  };
}
