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
import type { Rejection } from '../../../functions/orders/intake/adapters/rejection-store.ts';
import type { IntakeException } from '../../../functions/orders/intake/core/intake-records.ts';
import type { IntakeOutcome } from '../../../functions/orders/intake/core/receive-delivery.ts';
import type { SimulationMetrics } from '../../../functions/orders/release/core/simulate.ts';
import type {
  CandidateExplanation,
  Hold,
  ReleaseFields,
  RoutingRuleInput,
  Shipment,
  StoredRuleSet,
} from '../../../functions/orders/release/schemas.ts';
import type { StoredOrder } from '../../../functions/orders/schemas/canonical-order.ts';
import type { Channel, Listing, PutChannelBody } from '../../../functions/orders/intake/schemas/channel.ts';
import type { JournalEntry } from '../../../functions/platform/core/journal.ts';
import type { AuditEntry } from '../../../functions/shared/audit.ts';

export type {
  AdjustBucket,
  AdjustmentBody,
  AuditEntry,
  Bucket,
  Buckets,
  CandidateExplanation,
  Channel,
  CheckReport,
  Hold,
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
  RoutingRuleInput,
  Shipment,
  SimulationMetrics,
  Sku,
  StoredOrder,
  StoredRuleSet,
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
 * GET /api/orders/{id}: the stored order with the release state the order release workflow
 * keeps on it (holds by id, node allocations, the routing decision, status history).
 */
export type OrderView = StoredOrder &
  Partial<
    Pick<
      ReleaseFields,
      'holds' | 'shipments' | 'routing' | 'statusHistory' | 'cancellation' | 'backorder' | 'lineStates'
    >
  >;

/** GET /api/routing-rules: the active rule set and the latest versions. */
export interface RoutingRulesView {
  active: StoredRuleSet;
  versions: { version: number; createdAt: string; createdBy: string; note?: string }[];
}

/** POST /api/routing-rules/simulate: candidate vs active over recent orders. */
export interface SimulationReport {
  since: string;
  days: number;
  ordersReplayed: number;
  truncated: boolean;
  activeVersion: number;
  candidate: SimulationMetrics;
  active: SimulationMetrics;
  delta: { splitRate: number; avgShippingCost: number; slaMisses: number; backordered: number };
}
