import { ALL_BUCKETS, type Buckets, HELD_BUCKETS, type StockPosition } from '../schemas/stock.ts';

/** available = onHand − reserved − damaged − quarantined − returnedPending − safetyStock (DESIGN.md). */
export function availableOf(b: Buckets): number {
  return HELD_BUCKETS.reduce((sum, bucket) => sum - b[bucket], b.onHand);
}

export function emptyPosition(sku: string, locationId: string, now: string): StockPosition {
  const buckets = Object.fromEntries(ALL_BUCKETS.map((b) => [b, 0])) as Buckets;
  return { sku, locationId, ...buckets, available: 0, version: 0, updatedAt: now };
}

export function bucketsOf(p: StockPosition): Buckets & { available: number } {
  const out = Object.fromEntries(ALL_BUCKETS.map((b) => [b, p[b] ?? 0])) as Buckets;
  return { ...out, available: availableOf(out) };
}

/** Invariant 1: no bucket negative and available ≥ 0. Returns the offending fields. */
export function violations(b: Buckets): string[] {
  const bad: string[] = ALL_BUCKETS.filter((k) => b[k] < 0);
  if (availableOf(b) < 0) bad.push('available');
  return bad;
}
