import type { AdjustBucket, Bucket, MoveBucket } from '../api/types.ts';

export const BUCKET_LABELS: Record<Bucket | 'available', string> = {
  onHand: 'On hand',
  available: 'Available',
  reserved: 'Reserved',
  damaged: 'Damaged',
  quarantined: 'Quarantined',
  returnedPending: 'Returned, pending',
  safetyStock: 'Safety stock',
  inTransit: 'In transit',
};

/** The parts of on-hand, in the order they are shown and stacked. */
export const ONHAND_PARTS = [
  'available',
  'reserved',
  'damaged',
  'quarantined',
  'returnedPending',
  'safetyStock',
] as const;

/** Buckets units may be moved between, as the API's MOVE_BUCKETS (reserved belongs to orders, in-transit to transfers). */
export const MOVABLE_BUCKETS = [
  'available',
  'damaged',
  'quarantined',
  'returnedPending',
  'safetyStock',
] as const satisfies readonly MoveBucket[];
export type MovableBucket = (typeof MOVABLE_BUCKETS)[number];

/** Buckets an adjustment may land in, as the API's ADJUST_BUCKETS; `available` is the default. */
export const ADJUST_BUCKETS = [
  'available',
  'damaged',
  'quarantined',
  'returnedPending',
  'inTransit',
] as const satisfies readonly AdjustBucket[];
