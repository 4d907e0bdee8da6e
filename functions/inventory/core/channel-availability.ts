import type { Sku } from '#catalog/api';
import { createEvent, type DomainEvent } from '#shared/events';
import { ChannelAvailabilityChanged } from '../events/channel-availability-changed.ts';
import { kitAvailability } from './allocation.ts';
import type { CatalogReader, Clock, PositionStore } from './ports.ts';
import { readSkuStock } from './stock-view.ts';

/** How much of the available stock a channel is shown. */
export interface ExposureRule {
  /** Share of (available − buffer) exposed, 0–100. @default 100 */
  percent?: number;
  /** Units held back before exposing. @default 0 */
  buffer?: number;
  /** Never expose more than this. */
  cap?: number;
  /** Below this many available, expose 0 (no dribbles of last units). */
  floor?: number;
}

/** A sales channel as inventory needs it: the locations that serve it and its exposure rule. */
export interface ChannelConfig {
  channelId: string;
  locationIds: string[];
  exposure?: ExposureRule;
}

/**
 * What a channel is shown of `available` units (summed over its locations):
 * 0 when available < floor; otherwise floor((available − buffer) × percent / 100), at most cap,
 * never below 0.
 */
export function exposedQuantity(available: number, rule: ExposureRule = {}): number {
  if (available <= 0 || available < (rule.floor ?? 0)) return 0;
  let x = available - (rule.buffer ?? 0);
  x = Math.floor((x * (rule.percent ?? 100)) / 100);
  if (rule.cap !== undefined) x = Math.min(x, rule.cap);
  return Math.max(0, x);
}

/** Available per location of a SKU — a plain SKU's positions, or a kit's assemblable count. */
export type AvailabilityByLocation = Map<string, number>;

export async function availabilityByLocation(
  positions: PositionStore,
  sku: string,
  definition: Sku | undefined,
): Promise<AvailabilityByLocation> {
  const components = definition?.kit?.components;
  if (!components?.length) {
    const stock = await readSkuStock(positions, sku);
    return new Map(stock.locations.map((l) => [l.locationId, l.buckets.available]));
  }
  const parts = await Promise.all(components.map((c) => readSkuStock(positions, c.sku)));
  const locations = new Set(parts.flatMap((p) => p.locations.map((l) => l.locationId)));
  const byComponent = new Map(
    parts.map((p) => [p.sku, new Map(p.locations.map((l) => [l.locationId, l.buckets.available]))]),
  );
  return new Map(
    [...locations].map((loc) => [loc, kitAvailability(components, (s) => byComponent.get(s)?.get(loc) ?? 0)]),
  );
}

export function channelQuantity(channel: ChannelConfig, byLocation: AvailabilityByLocation): number {
  const base = channel.locationIds.reduce((sum, loc) => sum + Math.max(0, byLocation.get(loc) ?? 0), 0);
  return exposedQuantity(base, channel.exposure);
}

/** Inventory's own read model of the channels, fed by the orders context's ChannelUpserted. */
export interface ChannelStore {
  /** Every configured channel (`fresh` skips any cache). */
  list(opts?: { fresh?: boolean }): Promise<ChannelConfig[]>;
  /** Stores a channel's configuration unless a newer one (by `updatedAt`) is there; true if stored. */
  save(channel: ChannelConfig & { updatedAt: string }): Promise<boolean>;
}

/** The last number published per (SKU, channel), so a change is announced once. */
export interface ChannelAvailabilityStore {
  get(sku: string, channelId: string): Promise<number | undefined>;
  /** Stores `next` if the stored value is still `previous` (undefined: none stored). */
  swap(
    sku: string,
    channelId: string,
    previous: number | undefined,
    next: number,
    at: string,
  ): Promise<boolean>;
  /** SKUs that have a stored number for the channel. */
  skusOf(channelId: string): Promise<string[]>;
}

export interface ChannelPorts {
  positions: PositionStore;
  catalog: CatalogReader;
  channels: ChannelStore;
  published: ChannelAvailabilityStore;
  clock: Clock;
}

/**
 * Recomputes per-channel availability for the given SKUs and the kits that contain them, and
 * returns a ChannelAvailabilityChanged for each channel whose number changed. The stored
 * number is swapped conditionally, so concurrent recomputations announce a change once.
 */
export async function recomputeChannelAvailability(
  ports: ChannelPorts,
  skus: Iterable<string>,
  opts: { channelIds?: readonly string[]; fresh?: boolean; correlationId: string },
): Promise<DomainEvent[]> {
  const all = await ports.channels.list({ fresh: opts.fresh ?? false });
  const channels = opts.channelIds ? all.filter((c) => opts.channelIds?.includes(c.channelId)) : all;
  if (channels.length === 0) return [];
  const affected = new Set(skus);
  for (const sku of [...affected])
    for (const kit of await ports.catalog.kitsContaining(sku)) affected.add(kit);
  const catalog = await ports.catalog.getMany([...affected]);
  const events: DomainEvent[] = [];
  for (const sku of affected) {
    const byLocation = await availabilityByLocation(ports.positions, sku, catalog.get(sku));
    for (const channel of channels) {
      const next = channelQuantity(channel, byLocation);
      for (let attempt = 0; attempt < 3; attempt++) {
        const previous = await ports.published.get(sku, channel.channelId);
        if ((previous ?? 0) === next) break;
        const at = ports.clock().toISOString();
        if (await ports.published.swap(sku, channel.channelId, previous, next, at)) {
          events.push(
            createEvent(
              ChannelAvailabilityChanged,
              { channel: channel.channelId, sku, available: next, previous: previous ?? 0, at },
              { correlationId: opts.correlationId, now: () => new Date(at) },
            ),
          );
          break;
        }
      }
    }
  }
  return events;
}

/** Per-channel numbers for a read (GET /api/inventory/{sku}); nothing stored or published. */
export async function channelView(ports: Pick<ChannelPorts, 'channels'>, byLocation: AvailabilityByLocation) {
  const channels = await ports.channels.list();
  return channels.map((c) => ({ channelId: c.channelId, available: channelQuantity(c, byLocation) }));
}
