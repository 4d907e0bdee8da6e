import { z } from 'zod';
import { MAX_MONEY_MINOR } from '#shared/bounds';
import { locationId } from '../intake/schemas/channel.ts';
import { SERVICE_LEVELS, type ServiceLevel, type StoredOrder } from '../schemas/canonical-order.ts';

// ---------------------------------------------------------------------------------------------
// Routing rules: data, versioned (PUT /api/routing-rules). See docs/routing-rules.md.

/** A destination: a country (`US`) or a country and region (`US-CA`). */
const destination = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'country or country-region, e.g. US-CA');
const weight = z.number().min(0).max(100);

export const routingRuleSet = z
  .object({
    /** Weights of the ranking score; each component is normalized to 0–1 before weighting. */
    weights: z
      .object({
        stockDepth: weight.default(1),
        distance: weight.default(1),
        cost: weight.default(1),
        priority: weight.default(1),
        /** Subtracted once per extra shipment of a split plan. */
        splitPenalty: weight.default(2),
      })
      .default({ stockDepth: 1, distance: 1, cost: 1, priority: 1, splitPenalty: 2 }),
    nodes: z
      .record(
        locationId,
        z.object({
          /** Destinations served; default: the location's own country (anywhere without an address). */
          serves: z.array(destination).max(300).optional(),
          /** Service levels offered; default all. */
          serviceLevels: z.array(z.enum(SERVICE_LEVELS)).optional(),
          /** 0–100, higher wins ties and scores higher. @default 50 */
          priority: z.number().int().min(0).max(100).optional(),
          /** Last carrier pickup, hour of the day in UTC; orders after it ship the next day. */
          cutoffHourUtc: z.number().int().min(0).max(23).optional(),
          /** Days between release and carrier pickup. @default 0 */
          handlingDays: z.number().int().min(0).max(30).optional(),
        }),
      )
      .default({}),
    /** Distance zone (1 near … 8 far) per node and destination; `*` is the node's fallback. */
    zones: z.record(locationId, z.record(z.string(), z.number().int().min(1).max(8))).default({}),
    /** Carrier transit days per zone for standard service. @default zone 1–2: 1, 3–5: 3, 6–8: 5 */
    transitDays: z.record(z.string(), z.number().int().min(0).max(60)).default({}),
    /** Promise per service level, in days after the order was placed. */
    slaDays: z
      .partialRecord(z.enum(SERVICE_LEVELS), z.number().int().min(0).max(60))
      .default({ standard: 5, expedited: 2, overnight: 1, pickup: 0 }),
    /** Shipping cost per shipment (minor units) by zone and service level. */
    shippingCost: z
      .record(
        z.string(),
        z.partialRecord(z.enum(SERVICE_LEVELS), z.number().int().min(0).max(MAX_MONEY_MINOR)),
      )
      .default({}),
    /** Expected arrival of units already in transit, for backorder promises. @default 7 */
    inboundLeadDays: z.number().int().min(0).max(365).default(7),
  })
  .strict();
export type RoutingRuleSet = z.output<typeof routingRuleSet>;
export type RoutingRuleInput = z.input<typeof routingRuleSet>;

export interface StoredRuleSet {
  version: number;
  rules: RoutingRuleSet;
  createdAt: string;
  createdBy: string;
  note?: string;
}

export const putRoutingRulesBody = z.object({
  rules: routingRuleSet,
  note: z.string().max(500).optional(),
  /** Optimistic concurrency: the version the editor started from. */
  expectedVersion: z.number().int().min(0).optional(),
});

export const simulateBody = z.object({
  rules: routingRuleSet,
  days: z.number().int().min(1).max(90).default(7),
  /** Upper bound on orders replayed. @default 2000 */
  limit: z.number().int().min(1).max(10_000).default(2000),
});

// ---------------------------------------------------------------------------------------------
// Nodes and stock as routing sees them (read-only views of inventory).

export type NodeType = 'warehouse' | 'store' | '3pl';

export interface NodeInfo {
  locationId: string;
  name?: string;
  type: NodeType;
  country?: string;
  region?: string;
}

/** Units free to allocate and units in transit, per SKU and location. */
export type StockSnapshot = Map<
  string,
  Map<string, { available: number; inTransit: number; reserved?: number }>
>;

// ---------------------------------------------------------------------------------------------
// The release state, stored on the order item next to the canonical order.

export const HOLD_TYPES = ['payment', 'fraud', 'address', 'manual', 'review'] as const;
export type HoldType = (typeof HOLD_TYPES)[number];

export interface Hold {
  holdId: string;
  type: HoldType;
  reason: string;
  placedBy: string;
  placedAt: string;
  status: 'open' | 'released';
  releasedBy?: string;
  releasedAt?: string;
  note?: string;
}

export type ShipmentStatus =
  | 'pending'
  | 'reserved'
  | 'insufficient'
  | 'released'
  /** Fulfillment confirmed it left (ShipmentConfirmed): the reservation is consumed. */
  | 'shipped'
  | 'cancelled'
  | 'failed';

export interface ShipmentLine {
  lineId: string;
  sku: string;
  quantity: number;
}

/**
 * What a reservation holds, as inventory answered it: its lines and where each unit sits (a kit
 * line as its components, a substitute under its own SKU). Carried on OrderReleased so the node's
 * fulfillment knows the physical units without reading the reservation back.
 */
export interface HeldUnits {
  lines: { sku: string; quantity: number }[];
  allocations: {
    lineIndex: number;
    sku: string;
    locationId: string;
    quantity: number;
    kitSku?: string;
    substituteFor?: string;
  }[];
}

/** One node allocation = one reservation (`order:<orderId>:<node>:<round>`). */
export interface Shipment {
  reservationId: string;
  locationId: string;
  nodeType: NodeType;
  round: number;
  lines: ShipmentLine[];
  status: ShipmentStatus;
  /** The physical units the reservation holds (set once reserved; older records lack it). */
  held?: HeldUnits;
  releasedAt?: string;
  /** How far the node's fulfillment got, from fulfillment's events (the node's own work). */
  fulfillment?: ShipmentProgress;
}

/** A node's part as fulfillment reports it: in a wave, packed, shipped (with the parcel's tracking). */
export interface ShipmentProgress {
  status: 'picking' | 'packed' | 'shipped';
  at: string;
  waveId?: string;
  packages?: number;
  shipmentId?: string;
  carrier?: string;
  service?: string;
  trackingNumber?: string;
  trackingUrl?: string;
  shippedAt?: string;
  /** What left, in order-line terms. */
  lines?: ShipmentLine[];
}

/** A short pick sent back through release, once per fulfillment × pick task (PickShorted). */
export interface ShortPickRecord {
  fulfillmentId: string;
  taskId: string;
  /** The shorting node. */
  locationId: string;
  /** Units placed again, per order line. */
  lines: ShipmentLine[];
  /** The allocation round of the new reservation(s), `order:<id>:<node>:<round>`. */
  round: number;
  at: string;
  /** allocated → reserved and released to a node, or (partly) backordered. */
  status: 'allocated' | 'released' | 'backordered';
  releasedTo?: string[];
}

export type LineState =
  | { status: 'pending' }
  | { status: 'reserved' | 'released' | 'cancelled'; locationId: string; reservationId: string }
  | { status: 'backordered'; expectedAt: string | null; since: string };

export interface CandidateExplanation {
  locationId: string;
  type?: NodeType;
  eligible: boolean;
  /** Why it was filtered or lost, in words. */
  reasons: string[];
  score?: number;
  breakdown?: Record<string, number>;
  zone?: number;
  shippingCost?: number;
  deliversBy?: string;
}

export interface RoutingDecision {
  round: number;
  ruleVersion: number;
  decidedAt: string;
  destination: string | null;
  serviceLevel: ServiceLevel;
  candidates: CandidateExplanation[];
  chosen: { locationId: string; lineIds: string[] }[];
  split: boolean;
  shortLineIds: string[];
  slaMiss: boolean;
  summary: string;
  /** Lines routed as a substitute SKU (the order allowed it and the SKU itself was short). */
  substitutions?: { lineId: string; from: string; to: string }[];
}

export interface ReleaseFields {
  /**
   * received, on_hold, backordered, released, picking, packed, partially_shipped, shipped,
   * cancelled or failed.
   */
  status: string;
  /** Bumped by every release write; the optimistic lock of the release state. */
  releaseVersion?: number;
  /** Allocation rounds taken (1 = the workflow's, then one per backorder retry). */
  releaseRound?: number;
  /** Times a person sent a failed order through release again (names its new execution). */
  releaseRetries?: number;
  /** Set while a round is allocated but not yet reserved (cleared by the reserve step). */
  pendingRound?: number;
  holds?: Record<string, Hold>;
  shipments?: Record<string, Shipment>;
  lineStates?: Record<string, LineState>;
  routing?: RoutingDecision;
  backorder?: { since: string; lines: (ShipmentLine & { expectedAt: string | null })[] };
  statusHistory?: { status: string; at: string; by: string; event?: string }[];
  cancellation?: {
    at: string;
    by: string;
    source: 'channel' | 'ops';
    reason?: string;
    previousStatus: string;
  };
  releaseFailure?: { at: string; error: string; cause?: string };
  channelPriority?: number;
  /** Channel changes the warehouse cannot absorb after allocation, for customer service. */
  exceptions?: Record<string, OrderException>;
  /** Short picks placed again, by `<fulfillmentId>:<taskId>` (each is handled once). */
  shortPicks?: Record<string, ShortPickRecord>;
}

/** A change the channel made to an order after it was allocated (by the channel's clock). */
export interface OrderException {
  exceptionId: string;
  kind: 'changed-after-allocation';
  /** The order fields that moved: lines, shipTo, serviceLevel. */
  changed: string[];
  status: 'open' | 'resolved';
  at: string;
  /** The order's status when the change arrived. */
  orderStatus: string;
}

export type ReleaseOrder = StoredOrder & ReleaseFields;
