import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { MAX_QUANTITY } from '#shared/bounds';

export const locationId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');

/**
 * How connectors reach a 3PL's API and verify its webhooks. `accessToken` and `webhookSecret` go
 * to the SecretStore (like a channel's token) and are never returned; omitted on update they are
 * kept. The webhook secret is a Standard Webhooks key: `whsec_` and base64.
 */
export const threePLConnection = z
  .object({
    provider: z.enum(['generic', 'shipbob']),
    apiBaseUrl: z
      .string()
      .url()
      .max(500)
      .regex(/^https?:\/\//, 'an http(s) URL'),
    accessToken: z.string().min(1).max(4096).optional(),
    webhookSecret: z
      .string()
      .max(512)
      .regex(/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/, 'a Standard Webhooks secret: whsec_ and base64')
      .optional(),
  })
  .strict();

export const putLocationBody = z.object({
  name: z.string().min(1).max(200),
  type: z.enum(['warehouse', 'store', '3pl']),
  timezone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'not an IANA time zone')
    .optional(),
  address: z
    .object({
      line1: z.string().min(1),
      line2: z.string().optional(),
      city: z.string().min(1),
      region: z.string().optional(),
      postalCode: z.string().min(1),
      country: z.string().length(2, 'ISO 3166-1 alpha-2 country code'),
    })
    .optional(),
  /** Type `3pl` only: the 3PL's API and webhook secret (see threePLConnection). */
  connection: threePLConnection.optional(),
});
export type PutLocationBody = z.infer<typeof putLocationBody>;
/** A 3PL connection as stored: the secrets' SecretStore names, never their values. */
export interface StoredThreePLConnection {
  provider: 'generic' | 'shipbob';
  apiBaseUrl: string;
  tokenRef?: string;
  webhookSecretRef: string;
  updatedAt: string;
}
export interface Location extends Omit<PutLocationBody, 'connection'> {
  locationId: string;
  connection?: StoredThreePLConnection;
  createdAt: string;
  updatedAt: string;
}

/** Buckets inside onHand that are not available to sell. */
export const HELD_BUCKETS = ['reserved', 'damaged', 'quarantined', 'returnedPending', 'safetyStock'] as const;
export const ALL_BUCKETS = ['onHand', ...HELD_BUCKETS, 'inTransit'] as const;
export type Bucket = (typeof ALL_BUCKETS)[number];
export type Buckets = Record<Bucket, number>;
export type BucketsWithAvailable = Buckets & { available: number };

/**
 * Where a status move takes units from or puts them: `available` is the free part of onHand;
 * `reserved` is changed only by reservations, so it is not a move target.
 */
export const MOVE_BUCKETS = [
  'available',
  'damaged',
  'quarantined',
  'returnedPending',
  'safetyStock',
] as const;
export type MoveBucket = (typeof MOVE_BUCKETS)[number];

/** Buckets an adjustment or a receipt may change besides onHand (`inTransit` alone is not in onHand). */
export const ADJUST_BUCKETS = [
  'available',
  'damaged',
  'quarantined',
  'returnedPending',
  'inTransit',
] as const;
export type AdjustBucket = (typeof ADJUST_BUCKETS)[number];

const idempotencyKey = z.string().min(8).max(128);
const reason = z.string().min(1).max(200);
/** Units of one command: whole, 1 … MAX_QUANTITY (bounds table in #shared/bounds). */
const quantity = z.number().int('whole units of the SKU').positive().max(MAX_QUANTITY);

export const adjustmentBody = z.object({
  sku: skuCode,
  locationId,
  /** Whole units, −MAX_QUANTITY … MAX_QUANTITY, not zero. */
  delta: z
    .number()
    .int('whole units of the SKU')
    .min(-MAX_QUANTITY)
    .max(MAX_QUANTITY)
    .refine((d) => d !== 0, 'must not be zero'),
  /** Which part of the stock the delta lands in. @default 'available' */
  bucket: z.enum(ADJUST_BUCKETS).optional(),
  /** The bin whose units change with onHand (same charset as a location id). @default 'RECEIVING' */
  binId: locationId.optional(),
  reason,
  idempotencyKey,
});
export type AdjustmentBody = z.infer<typeof adjustmentBody>;

export const moveBody = z
  .object({
    sku: skuCode,
    locationId,
    from: z.enum(MOVE_BUCKETS),
    to: z.enum(MOVE_BUCKETS),
    quantity,
    reason,
    idempotencyKey,
  })
  .refine((b) => b.from !== b.to, { path: ['to'], message: 'must differ from "from"' });
export type MoveBody = z.infer<typeof moveBody>;

export const receiptBody = z.object({
  sku: skuCode,
  locationId,
  quantity,
  /** Where received units land (returns land in returnedPending). @default 'available' */
  bucket: z.enum(['available', 'damaged', 'quarantined', 'returnedPending']).optional(),
  /** The units were expected (a transfer or PO in transit): take them off inTransit. @default false */
  fromInTransit: z.boolean().optional(),
  /** The bin the units go into (same charset as a location id). @default 'RECEIVING' */
  binId: locationId.optional(),
  reason,
  idempotencyKey,
});
export type ReceiptBody = z.infer<typeof receiptBody>;

export const MAX_SHARDS = 32;
export const shardingBody = z.object({ shards: z.number().int().min(1).max(MAX_SHARDS) });

export const ledgerQuery = z.object({
  locationId: locationId.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(2000).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});

export const repairBody = z.object({
  sku: skuCode,
  locationId,
  reason,
  idempotencyKey,
});
export type RepairBody = z.infer<typeof repairBody>;

/** What kind of change a position write was; carried on the item as `lastOp` so the stream can ledger it. */
export const OP_KINDS = [
  'adjust',
  'receive',
  'move',
  'reserve',
  'release',
  'consume',
  'expire',
  'rebalance',
  'repair',
  'bin-move',
  'short-pick',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

/**
 * The who/why/when a position write leaves on the item. The stream consumer turns the write
 * (OldImage → NewImage plus this) into exactly one ledger movement.
 */
export interface LastOp {
  kind: OpKind;
  at: string;
  actor: string;
  correlationId: string;
  /** Why; defaults per kind (a reservation's steps need none on the hot item). */
  reason?: string;
  /** Defaults to `res:<reservationId>:<kind>` for reservation steps. */
  idempotencyKey?: string;
  reservationId?: string;
  /** 'single': one UpdateItem, the stream writes the reservation record; 'tx': written in the transaction. */
  via?: 'single' | 'tx';
  /** Single-position reservations: the expiry, for the record the stream writes. */
  expiresAt?: string;
  /** Single-position reservations of several lines; one line is the item's own sku, location and hold. */
  lines?: ReservationLineInput[];
  /** The bin whose units changed with onHand (receipt, adjustment, short pick). */
  binId?: string;
  /** The caller's own words where the reason is fixed (a short pick's reason is `short_pick`). */
  note?: string;
}

/** What a write's `lastOp` says about bins, copied onto its movement. */
export const BIN_FIELDS = ['binId', 'note'] as const;

export interface ReservationLineInput {
  sku: string;
  locationId?: string;
  quantity: number;
  allowSubstitutes?: boolean;
}

/** One item of a (possibly sharded) position: shard 0 is the position's head item. */
export interface PositionKey {
  sku: string;
  locationId: string;
  shard: number;
}

export interface StockPosition extends Buckets, PositionKey {
  /** Materialized so DynamoDB can check `available >= qty` inside a conditional write. */
  available: number;
  version: number;
  updatedAt: string;
  /** Idempotency keys of recent commands on this item → when they were applied (pruned after a while). */
  done: Record<string, string>;
  lastOp?: LastOp;
}

export interface Movement {
  movementId: string;
  sku: string;
  locationId: string;
  shard: number;
  /** Version of the position item after this change; movements of an item are numbered 1..version. */
  version: number;
  kind: OpKind | 'unattributed';
  /** The bucket the change is mainly about, and its delta (for a move: the destination). */
  bucket: Bucket | 'available';
  delta: number;
  deltas: Partial<Record<Bucket, number>>;
  before: BucketsWithAvailable;
  after: BucketsWithAvailable;
  reason: string;
  actor: string;
  correlationId: string;
  idempotencyKey: string;
  reservationId?: string;
  occurredAt: string;
  /** Repairs: the versions whose movements this one stands in for. */
  covers?: number[];
  /** The bin whose units changed with onHand (receipts, adjustments, short picks). */
  binId?: string;
  /** Bin-to-bin moves (kind `bin-move`, no bucket changes): the bins and the units moved. */
  fromBinId?: string;
  toBinId?: string;
  quantity?: number;
  note?: string;
}
