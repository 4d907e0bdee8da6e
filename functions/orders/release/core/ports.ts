import type { EventPublisher } from '#shared/events';
import type { TaskTokens } from '#shared/task-tokens';
import type { Channel } from '../../intake/schemas/channel.ts';
import type {
  HeldUnits,
  NodeInfo,
  ReleaseFields,
  ReleaseOrder,
  StockSnapshot,
  StoredRuleSet,
} from '../schemas.ts';
import type { SkuArrivals } from './routing.ts';

export type SaveOutcome = 'ok' | 'conflict' | 'cancelled';

/** The release state on the order item, under an optimistic lock (`releaseVersion`). */
export interface ReleaseStore {
  load(orderId: string): Promise<ReleaseOrder | undefined>;
  /**
   * Writes `patch` if nobody wrote the release state since `order` was read and (unless
   * `allowCancelled`) the order is not cancelled; `cancelled` tells the caller to compensate.
   */
  save(
    order: ReleaseOrder,
    patch: Partial<ReleaseFields>,
    opts?: { allowCancelled?: boolean },
  ): Promise<SaveOutcome>;
  /** Stores the token only if the release state is still the one read (`releaseVersion`). */
  parkToken(orderId: string, token: string, at: string, releaseVersion: number | undefined): Promise<boolean>;
  parkedToken(orderId: string): Promise<string | undefined>;
  clearToken(orderId: string, token: string): Promise<void>;
}

export interface BackorderEntry {
  sku: string;
  orderId: string;
  channelPriority: number;
  placedAt: string;
}

export interface BackorderQueue {
  put(entries: readonly BackorderEntry[]): Promise<void>;
  remove(entries: readonly BackorderEntry[]): Promise<void>;
  /** Entries of one SKU in release order, paged. */
  page(sku: string, limit: number, after?: string): Promise<{ entries: BackorderEntry[]; next?: string }>;
  /** `acquired`: this owner runs the queue; `flagged`: the running owner was told to look again. */
  acquire(sku: string, owner: string, leaseMs: number): Promise<'acquired' | 'flagged'>;
  /** `released`, or `again` when someone flagged new work meanwhile (the lock is kept). */
  releaseLock(sku: string, owner: string, leaseMs: number): Promise<'released' | 'again'>;
}

export interface ReservationLineRequest {
  sku: string;
  locationId: string;
  quantity: number;
}

/** Inventory's reservation task (the same core as POST /api/reservations), idempotent by id. */
export interface Reservations {
  reserve(
    reservationId: string,
    lines: ReservationLineRequest[],
    correlationId: string,
  ): Promise<{ status: 'reserved'; held?: HeldUnits } | { status: 'insufficient'; shortages: unknown[] }>;
  /** `released` also when it had been released before; `unknown` when it was never made. */
  release(reservationId: string, reason: string, correlationId: string): Promise<'released' | 'unknown'>;
}

/**
 * The last stock read of each SKU, reused for a moment, less what this container reserved since.
 * Good enough to choose where to reserve (the reservation refuses what is not there); never good
 * enough to backorder.
 */
export interface RecentStock {
  /** `fresh`: this very call read every SKU, so the answer is as new as `snapshot`'s. */
  of(skus: readonly string[]): Promise<{ stock: StockSnapshot; fresh: boolean }>;
  /** Units this container just reserved: the remembered availability drops by them. */
  reserved(sku: string, locationId: string, quantity: number): void;
  /** The remembered numbers proved wrong (a reservation was refused): read next time. */
  stale(skus: readonly string[]): void;
}

/** The durable order-release workflow, for orders the fast path hands over. */
export interface ReleaseWorkflows {
  /**
   * Starts the execution named by the order id (or `<orderId>-retry-<n>` for a person's n-th
   * retry of a failed order); an existing one with that name is left as it is.
   */
  startRelease(orderId: string, correlationId: string, retry?: number): Promise<void>;
}

export interface ReleasePorts {
  orders: ReleaseStore;
  channels: { get(channelId: string): Promise<Channel | undefined> };
  nodes: { get(locationIds: readonly string[]): Promise<Map<string, NodeInfo>> };
  /** Read-only stock for the SKUs (every location when `locationIds` is omitted). */
  stock: { snapshot(skus: readonly string[]): Promise<StockSnapshot> };
  /** Stock a moment old, for the fast path's first plan (absent: every plan reads). */
  recentStock?: RecentStock;
  rules: { active(): Promise<StoredRuleSet> };
  reservations: Reservations;
  tokens: TaskTokens;
  workflows: ReleaseWorkflows;
  /** The catalog's substitutes of each SKU, in the merchant's order of preference. */
  substitutes: { of(skus: readonly string[]): Promise<Map<string, string[]>> };
  backorders: BackorderQueue;
  /** Inbound's expected arrivals per SKU, for backorder promises (absent: the rules' default). */
  arrivals?: { of(skus: readonly string[]): Promise<ReadonlyMap<string, SkuArrivals>> };
  events: EventPublisher;
  clock: () => Date;
}
