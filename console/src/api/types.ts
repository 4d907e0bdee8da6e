/**
 * Response shapes of the API. Where the API publishes a type, it is imported (type-only, so
 * nothing reaches the bundle) and the console's typecheck breaks when a contract changes.
 * Shapes of routes still being built are written from their contracts and marked so.
 */

import type { Sku } from '../../../functions/catalog/schemas/sku.ts';
import type { CheckReport, Mismatch } from '../../../functions/inventory/core/check-invariants.ts';
import type { Reservation } from '../../../functions/inventory/schemas/reservation.ts';
import type {
  AdjustBucket,
  AdjustmentBody,
  Bucket,
  Buckets,
  Location,
  MoveBody,
  MoveBucket,
  Movement,
  PutLocationBody,
} from '../../../functions/inventory/schemas/stock.ts';
import type { Rejection } from '../../../functions/orders/adapters/rejection-store.ts';
import type { IntakeException } from '../../../functions/orders/core/intake-records.ts';
import type { IntakeOutcome } from '../../../functions/orders/core/receive-delivery.ts';
import type { StoredOrder } from '../../../functions/orders/schemas/canonical-order.ts';
import type { Channel, Listing, PutChannelBody } from '../../../functions/orders/schemas/channel.ts';
import type { JournalEntry } from '../../../functions/platform/core/journal.ts';
import type { AuditEntry } from '../../../functions/shared/audit.ts';

export type {
  AdjustBucket,
  AdjustmentBody,
  AuditEntry,
  Bucket,
  Buckets,
  Channel,
  CheckReport,
  IntakeException,
  IntakeOutcome,
  JournalEntry,
  Listing,
  Location,
  Mismatch,
  MoveBucket,
  Movement,
  PutChannelBody,
  PutLocationBody,
  Rejection,
  Reservation,
  Sku,
  StoredOrder,
};

/** The API's cursor pages: `nextCursor` is absent on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** One location's position (shards summed) as GET /api/inventory/{sku} returns it. */
export type PositionView = Buckets & {
  locationId: string;
  available: number;
  updatedAt: string;
  shards?: number;
};

/** Available-to-promise per channel, after its exposure rule. */
export interface ChannelAvailability {
  channelId: string;
  available: number;
}

/** GET /api/inventory/{sku}. `channels` is absent from older deployments. */
export interface StockView {
  sku: string;
  positions: PositionView[];
  shards?: number;
  kit?: {
    components: { sku: string; quantity: number }[];
    available: number;
    byLocation: { locationId: string; available: number }[];
  };
  channels?: ChannelAvailability[];
}

/** POST /api/inventory/adjustments and /moves: the movement and the position item after it. */
export interface AdjustmentResult {
  movement: Movement;
  position: Buckets & {
    sku: string;
    locationId: string;
    shard: number;
    available: number;
    version: number;
    updatedAt: string;
  };
}

/** POST /api/inventory/moves: units between the buckets of one position; on-hand does not change. */
export type BucketMoveBody = MoveBody;

/**
 * GET /api/orders/{id}: the stored order. Holds and allocation are added by the order release
 * workflow (contract, not served yet); the console shows them when present.
 */
export interface OrderView extends StoredOrder {
  holds?: { holdId: string; type: string; reason?: string; status: string; placedAt?: string }[];
  reservations?: {
    reservationId: string;
    sku: string;
    locationId: string;
    quantity: number;
    status?: string;
  }[];
  allocation?: {
    decidedAt?: string;
    lines?: { lineId: string; sku: string; locationId?: string; quantity: number; reason?: string }[];
    explanation?: string[];
  };
}
