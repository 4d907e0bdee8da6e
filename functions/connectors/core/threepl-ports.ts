import type { NodePosition, StoredThreePLConnection } from '#inventory/api';
import type { EventPublisher } from '#shared/events';

/** One node's part of an order as the 3PL hand-off sends it and the 3PL's webhooks refer to it. */
export interface ThreePLOrder {
  locationId: string;
  /** Our order id: the `referenceId` the 3PL knows the order by. */
  orderId: string;
  reservationId: string;
  channelId: string;
  externalId: string;
  /** The order lines released to the node (what the channel knows). */
  lines: { lineId: string; sku: string; quantity: number }[];
  /** The physical units the 3PL picks (a kit as its components). */
  units: { sku: string; quantity: number }[];
  serviceLevel: string;
  shipTo: ShipToAddress | null;
  /** The hand-off: `pending` until the 3PL accepted the order. */
  handoff: 'pending' | 'sent';
  providerOrderId?: string;
  sentAt?: string;
  lastError?: string;
  /** What the 3PL last told us (webhooks); `shipped` is final. */
  status: ThreePLOrderStatus;
  /** The 3PL's reason for the last exception, hold or cancellation. */
  reason?: string;
  shipment?: ThreePLShipment;
  shipmentPublishedAt?: string;
  /** The 3PL's messages about the order, newest last (at most HISTORY_KEPT). */
  history: { type: string; at: string; webhookId: string; reason?: string }[];
  createdAt: string;
  updatedAt: string;
}

export type ThreePLOrderStatus = 'requested' | 'shipped' | 'exception' | 'on_hold' | 'cancelled';

export interface ShipToAddress {
  name: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
  phone?: string;
}

export interface ThreePLShipment {
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl?: string;
  shippedAt: string;
  /** The units as the 3PL reported them. */
  reported: { sku: string; quantity: number }[];
}

export const HISTORY_KEPT = 20;

/** The 3PL's part of connectors' items (DynamoDB). */
export interface ThreePLOrderStore {
  /** Creates the record unless one exists; answers the record as stored. */
  ensure(order: ThreePLOrder): Promise<ThreePLOrder>;
  get(locationId: string, orderId: string): Promise<ThreePLOrder | undefined>;
  list(
    locationId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: ThreePLOrder[]; cursor?: string }>;
  /** Takes the hand-off lease while the hand-off is pending and no live lease is held. */
  claimHandoff(
    locationId: string,
    orderId: string,
    owner: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<boolean>;
  markSent(
    locationId: string,
    orderId: string,
    owner: string,
    providerOrderId: string,
    at: string,
  ): Promise<void>;
  /** Gives the lease back (a failed call) with the error, so the next delivery tries again. */
  releaseHandoff(locationId: string, orderId: string, owner: string, error: string): Promise<void>;
  /**
   * Records the shipment (status `shipped`) and claims its publishing: true when this caller is
   * to publish ShipmentConfirmed (not published yet, no live claim).
   */
  claimShipment(
    locationId: string,
    orderId: string,
    shipment: ThreePLShipment,
    nowMs: number,
    leaseMs: number,
  ): Promise<boolean>;
  markShipmentPublished(locationId: string, orderId: string, at: string): Promise<void>;
  /** Appends a message to the history; `status` (unless shipped) and `reason` follow it when given. */
  note(
    locationId: string,
    orderId: string,
    entry: ThreePLOrder['history'][number],
    status?: Exclude<ThreePLOrderStatus, 'requested' | 'shipped'>,
  ): Promise<void>;
}

/** Webhook ids already handled per 3PL location (Standard Webhooks redeliveries keep the id). */
export interface WebhookLog {
  seen(locationId: string, webhookId: string): Promise<boolean>;
  remember(locationId: string, webhookId: string, type: string, at: string): Promise<void>;
}

export interface ReconciliationLine {
  sku: string;
  ours: NodePosition;
  /** The 3PL's onHand in the snapshot. */
  reported: number;
  /** reported − ours.onHand: the adjustment approval posts. */
  delta: number;
}

export interface Reconciliation {
  reconciliationId: string;
  locationId: string;
  status: 'open' | 'approved';
  asOf: string;
  webhookId: string;
  receivedAt: string;
  lines: ReconciliationLine[];
  /** SKUs in the snapshot that matched our number. */
  matched: number;
  createdAt: string;
  approvedAt?: string;
  approvedBy?: string;
  note?: string;
  /** The last approval that could not post every line (it stays open; approving again resumes). */
  lastError?: string;
}

export interface ReconciliationStore {
  /** Writes it unless it exists; answers the stored one. */
  create(r: Reconciliation): Promise<Reconciliation>;
  get(reconciliationId: string): Promise<Reconciliation | undefined>;
  list(
    filter: { locationId?: string; status?: Reconciliation['status'] },
    limit: number,
    cursor?: string,
  ): Promise<{ items: Reconciliation[]; cursor?: string }>;
  /** open → approved; false when it was not open any more. */
  markApproved(reconciliationId: string, by: string, note: string, at: string): Promise<boolean>;
  recordError(reconciliationId: string, error: string): Promise<void>;
}

/** A 3PL's order API. */
export interface ThreePLClient {
  /**
   * Creates the order, idempotent by `order.orderId` (the reference id): a 3PL that already has
   * it answers a duplicate, which counts as created. Answers the 3PL's order id (or the
   * reference when a duplicate answer carries none). Throws ChannelCallFailed.
   */
  createOrder(
    connection: StoredThreePLConnection,
    token: string | undefined,
    order: ThreePLOrder,
  ): Promise<string>;
}

export interface ThreePLPorts {
  orders: ThreePLOrderStore;
  webhooks: WebhookLog;
  reconciliations: ReconciliationStore;
  locations: {
    get(locationId: string): Promise<{ type: string; connection?: StoredThreePLConnection } | undefined>;
  };
  secrets: { get(name: string, opts?: { maxAgeMs?: number }): Promise<string | undefined> };
  clients: Record<StoredThreePLConnection['provider'], ThreePLClient>;
  inventory: {
    /** Consumes the node's reservation (the units left): `consumed`, or `closed` when it was released. */
    consume(reservationId: string, correlationId: string): Promise<'consumed' | 'closed'>;
    positionsAt(locationId: string, skus: readonly string[]): Promise<Map<string, NodePosition>>;
    adjust(
      cmd: { sku: string; locationId: string; delta: number; reason: string; idempotencyKey: string },
      ctx: { actor: string; correlationId: string },
    ): Promise<void>;
  };
  events: EventPublisher;
  clock: () => Date;
  newOwner: () => string;
  /** Hand-off and shipment-publish leases: longer than a call's retry deadline. */
  leaseMs: number;
  /** How long a redelivery waits for a concurrent one to publish its shipment. */
  shipmentWaitMs: number;
}
