import type { Channel, Listing } from '#orders/api';
import type { EventPublisher } from '#shared/events';

/** One failure as the sync status shows it. */
export interface SyncFailure {
  at: string;
  skus: string[];
  error: string;
}

export interface ChannelHealth {
  channelId: string;
  state: 'healthy' | 'degraded';
  consecutiveFailures: number;
  failingSince?: string;
  degradedAt?: string;
  lastPushAt?: string;
  /** Newest first, at most RECENT_FAILURES. */
  recentFailures: SyncFailure[];
}

/** The per channel × SKU sync items and the channel's health (DynamoDB). */
export interface SyncStore {
  /** A change to push: desiredVersion + 1 and the SKU listed as pending. */
  mark(channelId: string, sku: string): Promise<void>;
  /**
   * Takes the SKU's push lease when a push is pending and nobody else holds a live lease;
   * answers the desired version it will push, or undefined.
   */
  claim(
    channelId: string,
    sku: string,
    owner: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<number | undefined>;
  /**
   * Records that `quantity` (read after the claim of `version`) reached the channel and
   * releases the lease; true when no newer change arrived meanwhile (the SKU is no longer pending).
   */
  complete(
    channelId: string,
    sku: string,
    owner: string,
    version: number,
    quantity: number,
    at: string,
  ): Promise<boolean>;
  /** Releases the lease without a push (the channel refused it): the SKU stays pending. */
  release(channelId: string, sku: string, owner: string): Promise<void>;
  /** SKUs with a push pending on the channel. */
  pending(channelId: string): Promise<string[]>;
  /** Channels with any push pending. */
  pendingChannels(): Promise<string[]>;
  health(channelId: string): Promise<ChannelHealth>;
  /** Stores the health unless another writer changed it since `read` (optimistic); true if stored. */
  saveHealth(next: ChannelHealth, read: ChannelHealth): Promise<boolean>;
}

/** One SKU's number to set on the channel, with where it goes. */
export interface StockEntry {
  sku: string;
  quantity: number;
  listings: Listing[];
  /** Our location id → units there (sums to `quantity`); only the channel's mapped locations. */
  byLocation: Map<string, number>;
}

/** A channel API refused or failed after the client's retries. */
export class ChannelCallFailed extends Error {
  override readonly name = 'ChannelCallFailed';
  /**
   * True when the channel refused the call itself (a 4xx other than 429, a validation error):
   * sending it again will not help. False for outages (5xx, timeouts) that a later try may pass.
   */
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/** A channel's stock API (Shopify, WooCommerce): sets absolute quantities. */
export interface StockWriter {
  setStock(channel: Channel, accessToken: string, entries: readonly StockEntry[]): Promise<void>;
}

export interface PushPorts {
  sync: SyncStore;
  channels: { get(channelId: string): Promise<Channel | undefined> };
  listings(channelId: string, sku: string): Promise<Listing[]>;
  /** The channel's current number for the SKU (inventory's last announced). */
  availability(channelId: string, sku: string): Promise<number>;
  /** Available per our location for the SKU, to split the number across mapped locations. */
  availabilityByLocation(sku: string): Promise<Map<string, number>>;
  /** Every SKU inventory has a number for on the channel (full resync). */
  channelSkus(channelId: string): Promise<string[]>;
  secrets: { get(name: string): Promise<string | undefined> };
  writers: Partial<Record<Channel['type'], StockWriter>>;
  events: EventPublisher;
  clock: () => Date;
  settings: PushSettings;
}

export interface PushSettings {
  /** A push lease outlives the longest push (the client's deadline), so two pushes never overlap. */
  leaseMs: number;
  /** A channel failing this long (and at least DEGRADE_MIN_FAILURES times in a row) is degraded. */
  degradeAfterMs: number;
  /** SKUs per channel call (Shopify takes 250 quantities, WooCommerce 100 updates per batch). */
  batchSize: number;
}
