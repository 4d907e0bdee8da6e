/**
 * Response shapes of the API. Where the API publishes a type, it is imported (type-only, so
 * nothing reaches the bundle) from the context's published `api.ts`, never from its internals,
 * and the console's typecheck breaks when a contract changes.
 * Shapes of routes still being built are written from their contracts and marked so.
 */

import type { Sku } from '../../../functions/catalog/api.ts';
import type { SyncStatus, ThreePLOrder, ThreePLReconciliation } from '../../../functions/connectors/api.ts';
import type {
  DatasetName,
  ExportRunView,
  PeriodView,
  Reconciliation,
  TrialBalance,
} from '../../../functions/finance/api.ts';
import type {
  BinType,
  Carrier,
  CarrierBody,
  Fulfillment,
  FulfillmentLine,
  FulfillmentStatus,
  PickTask,
  Wave,
} from '../../../functions/fulfillment/api.ts';
import type {
  IncomingStock,
  PoStatus,
  PurchaseOrderSummary,
  PurchaseOrderView,
  Supplier,
} from '../../../functions/inbound/api.ts';
import type {
  AdjustBucket,
  AdjustmentBody,
  BrowseRow,
  Bucket,
  Buckets,
  CheckReport,
  Location,
  Mismatch,
  MoveBody,
  MoveBucket,
  Movement,
  PutLocationBody,
  Reservation,
} from '../../../functions/inventory/api.ts';
import type {
  CandidateExplanation,
  Channel,
  Hold,
  IntakeExceptionSummary,
  IntakeExceptionView,
  IntakeOutcome,
  Listing,
  OrderStatusName,
  OrderSummary,
  PutChannelBody,
  Rejection,
  ReleaseFields,
  RoutingRuleInput,
  Shipment,
  SimulationMetrics,
  StoredOrder,
  StoredRuleSet,
} from '../../../functions/orders/api.ts';
import type { AuditEntry, JournalEntry } from '../../../functions/platform/api.ts';
import type { Disposition, ReturnStatus, ReturnView } from '../../../functions/returns/api.ts';

export type {
  AdjustBucket,
  AdjustmentBody,
  AuditEntry,
  BinType,
  BrowseRow,
  Bucket,
  Buckets,
  CandidateExplanation,
  Carrier,
  CarrierBody,
  Channel,
  CheckReport,
  DatasetName,
  Disposition,
  ExportRunView,
  Fulfillment,
  FulfillmentLine,
  FulfillmentStatus,
  Hold,
  IncomingStock,
  IntakeExceptionSummary,
  IntakeExceptionView,
  IntakeOutcome,
  JournalEntry,
  Listing,
  Location,
  Mismatch,
  MoveBucket,
  Movement,
  OrderStatusName,
  OrderSummary,
  PeriodView,
  PickTask,
  PoStatus,
  PurchaseOrderSummary,
  PurchaseOrderView,
  PutChannelBody,
  PutLocationBody,
  Reconciliation,
  Rejection,
  Reservation,
  ReturnStatus,
  ReturnView,
  RoutingRuleInput,
  Shipment,
  SimulationMetrics,
  Sku,
  StoredOrder,
  StoredRuleSet,
  Supplier,
  SyncStatus,
  ThreePLOrder,
  ThreePLReconciliation,
  TrialBalance,
  Wave,
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
  /** Units on open purchase orders per location (absent when none). */
  incoming?: IncomingStock[];
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
      | 'holds'
      | 'shipments'
      | 'routing'
      | 'statusHistory'
      | 'cancellation'
      | 'backorder'
      | 'lineStates'
      | 'releaseFailure'
      | 'exceptions'
    >
  >;

/** `GET /api/orders` filters; every one optional (`from`/`to`: ISO instants, inclusive). */
export interface OrderQuery {
  status?: OrderStatusName;
  /** A queue across statuses: released, picking or packed for over a day. */
  queue?: 'at_risk';
  channelId?: string;
  locationId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** GET /api/orders/counts: exact orders per status queue, the oldest in each, and those at risk. */
export interface OrderCounts {
  counts: Record<OrderStatusName, number>;
  oldest: Partial<Record<OrderStatusName, string>>;
  atRisk: { count: number; statuses: OrderStatusName[]; olderThanHours: number; placedBefore: string };
  truncated: boolean;
}

/** GET /api/orders/backlog: orders placed each UTC day, by the status each is in now. */
export interface OrderBacklog {
  since: string;
  days: { date: string; counts: Record<OrderStatusName, number> }[];
  truncated: boolean;
}

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

/** GET /api/waves/{waveId}: the wave with its pick tasks in walk order. */
export type WaveView = Wave & { tasks: PickTask[] };

/** POST /api/waves: the planned wave, or `waveId: null` when nothing was ready. */
export type PlannedWave =
  | { waveId: string; cutoffAt?: string; fulfillmentIds: string[]; taskCount: number }
  | { waveId: null };

/** GET /api/pick-tasks/next (200): the caller's claimed task; 204 (undefined here) when the wave has none left. */
export type NextPickTask = Pick<
  PickTask,
  'taskId' | 'waveId' | 'binId' | 'binCode' | 'zone' | 'sku' | 'barcodes' | 'quantity' | 'pickedQuantity'
> &
  Partial<Pick<PickTask, 'status' | 'binScannedAt'>>;

/** POST /api/pick-tasks/{taskId}/scans and /short. */
export interface PickScanResult {
  taskId: string;
  pickedQuantity: number;
  quantity: number;
  status: PickTask['status'];
}

/**
 * GET /api/locations/{id}/bins items. Written from the issue 14 contract (inventory's api.ts
 * publishes `BinContents` with the bins routes).
 */
export interface BinView {
  binId: string;
  zone: string;
  walkOrder: number;
  type: BinType;
  capacity?: number;
  barcode?: string;
  contents: { sku: string; quantity: number }[];
}

/** PUT /api/locations/{id}/bins/{binId}. */
export type PutBinBody = Pick<BinView, 'zone' | 'walkOrder' | 'type' | 'capacity' | 'barcode'>;

/** GET/PUT /api/fulfillment-settings/{locationId}, written from the contract (defaults filled in on GET). */
export interface FulfillmentSettings {
  autoWave: boolean;
  maxOrdersPerWave: number;
  claimTimeoutSeconds: number;
  unitsPerMinute: number;
}

/** POST /api/fulfillments/{id}/packages: one parcel, grams and millimetres. */
export interface PackageBody {
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
}

/** POST /api/fulfillments/{id}/ship. */
export interface ShipBody {
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl?: string;
}

/** A 3PL location's connection as the API shows it: the secrets only as flags. */
export interface ThreePLConnectionView {
  provider: 'generic' | 'shipbob';
  apiBaseUrl: string;
  hasAccessToken: boolean;
  hasWebhookSecret: boolean;
  updatedAt: string;
}

/** A location as `GET /api/locations/{id}` answers it: a 3PL's connection without its secrets. */
export type LocationView = Omit<Location, 'connection'> & { connection?: ThreePLConnectionView };
