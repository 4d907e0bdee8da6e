import { MAX_BUCKET_UNITS } from '#shared/bounds';
import {
  type AdjustBucket,
  ALL_BUCKETS,
  type Bucket,
  type Buckets,
  type BucketsWithAvailable,
  HELD_BUCKETS,
  type MoveBucket,
  type StockPosition,
} from '../schemas/stock.ts';

/** available = onHand − reserved − damaged − quarantined − returnedPending − safetyStock. */
export function availableOf(b: Buckets): number {
  return HELD_BUCKETS.reduce((sum, bucket) => sum - b[bucket], b.onHand);
}

export const ZERO_BUCKETS: Readonly<Buckets> = Object.freeze(
  Object.fromEntries(ALL_BUCKETS.map((b) => [b, 0])) as Buckets,
);

export function emptyPosition(sku: string, locationId: string, shard: number, now: string): StockPosition {
  return {
    sku,
    locationId,
    shard,
    ...ZERO_BUCKETS,
    available: 0,
    version: 0,
    updatedAt: now,
    done: {},
  };
}

/** The buckets of anything position-shaped (missing buckets count as 0), with available derived. */
export function bucketsOf(p: Partial<Buckets>): BucketsWithAvailable {
  const out = Object.fromEntries(ALL_BUCKETS.map((b) => [b, p[b] ?? 0])) as Buckets;
  return { ...out, available: availableOf(out) };
}

/** Sums shard items (or any positions) bucket by bucket. */
export function sumBuckets(items: readonly Partial<Buckets>[]): BucketsWithAvailable {
  const total = { ...ZERO_BUCKETS };
  for (const item of items) for (const b of ALL_BUCKETS) total[b] += item[b] ?? 0;
  return { ...total, available: availableOf(total) };
}

/** Invariant 1: no bucket negative and available ≥ 0. Returns the offending fields. */
export function violations(b: Buckets): string[] {
  const bad: string[] = ALL_BUCKETS.filter((k) => b[k] < 0);
  if (availableOf(b) < 0) bad.push('available');
  return bad;
}

/** A change to a position's buckets; `available` follows from them. */
export type Deltas = Partial<Record<Bucket, number>>;

/** How a change moves available: onHand in, held buckets out (inTransit is beside onHand). */
export function availableDelta(d: Deltas): number {
  return HELD_BUCKETS.reduce((sum, b) => sum - (d[b] ?? 0), d.onHand ?? 0);
}

export function applyDeltas(b: Buckets, d: Deltas): BucketsWithAvailable {
  const next = { ...b };
  for (const k of ALL_BUCKETS) next[k] = (b[k] ?? 0) + (d[k] ?? 0);
  return { ...next, available: availableOf(next) };
}

export function negate(d: Deltas): Deltas {
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, -(v ?? 0)])) as Deltas;
}

/** Drops zero entries, so expressions and ledger rows mention only what changed. */
export function compactDeltas(d: Deltas): Deltas {
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== 0 && v !== undefined)) as Deltas;
}

export function deltasBetween(before: Partial<Buckets>, after: Partial<Buckets>): Deltas {
  return compactDeltas(Object.fromEntries(ALL_BUCKETS.map((b) => [b, (after[b] ?? 0) - (before[b] ?? 0)])));
}

/**
 * The lower bounds a write must check so that invariant 1 holds after it: each bucket it lowers
 * must hold at least that much, and available must cover what the change takes from it.
 */
export function requirements(d: Deltas): { field: Bucket | 'available'; atLeast: number }[] {
  const out: { field: Bucket | 'available'; atLeast: number }[] = [];
  for (const b of ALL_BUCKETS) {
    const v = d[b] ?? 0;
    if (v < 0) out.push({ field: b, atLeast: -v });
  }
  const avail = availableDelta(d);
  if (avail < 0) out.push({ field: 'available', atLeast: -avail });
  return out;
}

/**
 * The upper bounds a write must check so no bucket grows past MAX_BUCKET_UNITS (#shared/bounds):
 * each bucket it raises must hold at most `MAX_BUCKET_UNITS − delta` before. Only onHand and
 * inTransit need it: the held buckets and available are parts of onHand (invariant 1), so they
 * are bounded with it — and the hot reservation write, which raises only `reserved`, checks
 * nothing more.
 */
export function ceilings(d: Deltas): { field: 'onHand' | 'inTransit'; atMost: number }[] {
  const out: { field: 'onHand' | 'inTransit'; atMost: number }[] = [];
  for (const field of ['onHand', 'inTransit'] as const) {
    const v = d[field] ?? 0;
    if (v > 0) out.push({ field, atMost: MAX_BUCKET_UNITS - v });
  }
  return out;
}

/** Would a change take a bucket of this position past MAX_BUCKET_UNITS? */
export function exceedsCeiling(p: Partial<Buckets>, d: Deltas): 'onHand' | 'inTransit' | undefined {
  return ceilings(d).find((c) => (p[c.field] ?? 0) > c.atMost)?.field;
}

/** Does a position satisfy the requirements of a change? (The same check DynamoDB makes.) */
export function satisfies(p: BucketsWithAvailable, d: Deltas): boolean {
  return requirements(d).every((r) => p[r.field] >= r.atLeast);
}

/** Adjustment of `delta` units into a bucket: physical buckets change onHand too; inTransit does not. */
export function adjustmentDeltas(delta: number, bucket: AdjustBucket = 'available'): Deltas {
  if (bucket === 'inTransit') return { inTransit: delta };
  if (bucket === 'available') return { onHand: delta };
  return { onHand: delta, [bucket]: delta };
}

/** Receipt of units into a bucket, optionally taking them off inTransit. */
export function receiptDeltas(
  quantity: number,
  bucket: AdjustBucket = 'available',
  fromInTransit = false,
): Deltas {
  return compactDeltas({
    ...adjustmentDeltas(quantity, bucket),
    ...(fromInTransit ? { inTransit: -quantity } : {}),
  });
}

/** Status move inside onHand: from one bucket (or the free part) to another. onHand is unchanged. */
export function moveDeltas(from: MoveBucket, to: MoveBucket, quantity: number): Deltas {
  const d: Deltas = {};
  if (from !== 'available') d[from] = -quantity;
  if (to !== 'available') d[to] = (d[to] ?? 0) + quantity;
  return d;
}

export const reserveDeltas = (q: number): Deltas => ({ reserved: q });
export const releaseDeltas = (q: number): Deltas => ({ reserved: -q });
/** Shipping consumes a reservation: the units leave the building. */
export const consumeDeltas = (q: number): Deltas => ({ reserved: -q, onHand: -q });

/** The bucket a change is mainly about, for the ledger's `bucket`/`delta` columns. */
export function primaryBucket(d: Deltas): { bucket: Bucket | 'available'; delta: number } {
  const held = HELD_BUCKETS.find((b) => (d[b] ?? 0) > 0) ?? HELD_BUCKETS.find((b) => (d[b] ?? 0) !== 0);
  if (d.onHand) return { bucket: 'onHand', delta: d.onHand };
  if (held) return { bucket: held, delta: d[held] ?? 0 };
  if (d.inTransit) return { bucket: 'inTransit', delta: d.inTransit };
  return { bucket: 'available', delta: availableDelta(d) };
}
