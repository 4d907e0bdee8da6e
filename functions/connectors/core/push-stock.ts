import { randomUUID } from 'node:crypto';
import type { Channel } from '#orders/api';
import { createEvent } from '#shared/events';
import { ChannelResyncRequested, ChannelSyncDegraded, ChannelSyncRecovered } from '../events/channel-sync.ts';
import { splitAcrossLocations } from './locations.ts';
import type { ChannelHealth, PushPorts, StockEntry } from './ports.ts';

/** Failures kept on the status, newest first. */
export const RECENT_FAILURES = 10;
/** Degraded needs this many failed pushes in a row as well as the time window (one blip is not an outage). */
export const DEGRADE_MIN_FAILURES = 3;
/** Rounds of one drain: changes keep arriving on a hot SKU, the next event or the sweep takes over. */
const MAX_ROUNDS = 25;

export type DrainOutcome = { pushed: number; failed: number; skipped?: 'no-connection' | 'unsupported' };

/** The channel types whose stock we write, and whether the channel is connected enough to. */
function writable(ports: PushPorts, channel: Channel | undefined) {
  if (!channel) return 'no-connection' as const;
  if (!ports.writers[channel.type]) return 'unsupported' as const;
  if (!channel.connection?.tokenRef) return 'no-connection' as const;
  if (channel.type === 'shopify' && !channel.connection.apiBaseUrl && !channel.shopDomain)
    return 'no-connection' as const;
  if (channel.type === 'woocommerce' && !channel.connection.apiBaseUrl) return 'no-connection' as const;
  // Amazon writes stock under a seller, in a marketplace (the API origin defaults by region).
  if (
    channel.type === 'amazon' &&
    !(
      (channel.connection.sellerId ?? channel.sellerId) &&
      (channel.connection.marketplaceId ?? channel.marketplaceIds?.[0])
    )
  )
    return 'no-connection' as const;
  // Shopify stock lives per location: with none of the channel's locations mapped there is nowhere to write.
  if (channel.type === 'shopify' && !channel.locationIds.some((l) => channel.connection?.locationMap?.[l]))
    return 'no-connection' as const;
  return undefined;
}

/**
 * Records changes for the SKUs (desired version + 1 each) and pushes them. Marking before the
 * claim is what coalesces: a push in flight that finishes sees the newer version and pushes
 * again, with a fresh read of our number; a push that already finished leaves the lease free.
 */
export async function markAndPush(
  ports: PushPorts,
  channelId: string,
  skus: readonly string[],
): Promise<DrainOutcome> {
  // A channel we do not write (not connected, a type without a writer) keeps no sync items:
  // connecting it later is followed by a resync (docs/connectors.md).
  const skipped = writable(ports, await ports.channels.get(channelId));
  if (skipped) return { pushed: 0, failed: 0, skipped };
  for (const sku of skus) await ports.sync.mark(channelId, sku);
  return drain(ports, channelId, skus);
}

/**
 * Pushes the SKUs that are pending and not being pushed elsewhere, batch by batch, until none of
 * them changed since their push. Each push reads our current number after taking the lease, so
 * whatever order the events came in, the last push of a SKU carries the latest number.
 * A channel that refuses (after the client's retries) is recorded as a failure; the SKUs stay
 * pending for the next change, the sweep or a resync. Nothing here throws for a channel error.
 */
export async function drain(
  ports: PushPorts,
  channelId: string,
  skus: readonly string[],
): Promise<DrainOutcome> {
  const channel = await ports.channels.get(channelId);
  const skipped = writable(ports, channel);
  if (skipped || !channel) return { pushed: 0, failed: 0, ...(skipped ? { skipped } : {}) };
  const token = await ports.secrets.get(channel.connection?.tokenRef as string);
  if (!token) return { pushed: 0, failed: 0, skipped: 'no-connection' };
  const writer = ports.writers[channel.type];
  if (!writer) return { pushed: 0, failed: 0, skipped: 'unsupported' };

  const owner = randomUUID();
  let todo = [...new Set(skus)];
  let pushed = 0;
  let failed = 0;
  for (let round = 0; round < MAX_ROUNDS && todo.length > 0; round++) {
    const next: string[] = [];
    for (let i = 0; i < todo.length; i += ports.settings.batchSize) {
      const batch = todo.slice(i, i + ports.settings.batchSize);
      const claimed: { sku: string; version: number }[] = [];
      for (const sku of batch) {
        const version = await ports.sync.claim(
          channelId,
          sku,
          owner,
          ports.clock().getTime(),
          ports.settings.leaseMs,
        );
        if (version !== undefined) claimed.push({ sku, version });
      }
      if (claimed.length === 0) continue;
      let entries: StockEntry[];
      try {
        entries = await Promise.all(claimed.map(({ sku }) => entryFor(ports, channel, sku)));
      } catch (error) {
        await Promise.all(claimed.map(({ sku }) => ports.sync.release(channelId, sku, owner)));
        throw error;
      }
      try {
        await writer.setStock(channel, token, entries);
      } catch (error) {
        await Promise.all(claimed.map(({ sku }) => ports.sync.release(channelId, sku, owner)));
        failed += claimed.length;
        await recordFailure(
          ports,
          channelId,
          claimed.map((c) => c.sku),
          error,
        );
        // The channel is failing: the rest waits for the next change, the sweep or a resync.
        return { pushed, failed };
      }
      const at = ports.clock().toISOString();
      for (const [k, { sku, version }] of claimed.entries()) {
        const done = await ports.sync.complete(channelId, sku, owner, version, entries[k]?.quantity ?? 0, at);
        pushed++;
        if (!done) next.push(sku);
      }
      await recordSuccess(ports, channelId, at);
    }
    todo = next;
  }
  return { pushed, failed };
}

async function entryFor(ports: PushPorts, channel: Channel, sku: string): Promise<StockEntry> {
  const [quantity, listings] = await Promise.all([
    ports.availability(channel.channelId, sku),
    ports.listings(channel.channelId, sku),
  ]);
  const mapped = channel.locationIds.filter((l) => channel.connection?.locationMap?.[l]);
  // One mapped location takes the whole number; several split it by where the units are.
  const byLocation =
    mapped.length > 1
      ? splitAcrossLocations(quantity, mapped, await ports.availabilityByLocation(sku))
      : new Map(mapped.map((l) => [l, quantity]));
  return { sku, quantity, listings, byLocation };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

async function recordFailure(ports: PushPorts, channelId: string, skus: string[], error: unknown) {
  const now = ports.clock();
  const at = now.toISOString();
  const failure = { at, skus: skus.slice(0, 20), error: message(error) };
  for (let attempt = 0; attempt < 5; attempt++) {
    const read = await ports.sync.health(channelId);
    const failingSince = read.failingSince ?? at;
    const consecutiveFailures = read.consecutiveFailures + 1;
    const degrade =
      read.state === 'healthy' &&
      consecutiveFailures >= DEGRADE_MIN_FAILURES &&
      now.getTime() - Date.parse(failingSince) >= ports.settings.degradeAfterMs;
    const next: ChannelHealth = {
      ...read,
      consecutiveFailures,
      failingSince,
      recentFailures: [failure, ...read.recentFailures].slice(0, RECENT_FAILURES),
      ...(degrade ? { state: 'degraded' as const, degradedAt: at } : {}),
    };
    if (!(await ports.sync.saveHealth(next, read))) continue;
    if (degrade) {
      await ports.events.publish([
        createEvent(
          ChannelSyncDegraded,
          { channelId, failingSince, consecutiveFailures, lastError: failure.error, at },
          { correlationId: `sync-${channelId}`, now: () => now },
        ),
      ]);
    }
    return;
  }
}

/** A healthy record's `lastPushAt` is rewritten at most this often (one write less per push). */
const LAST_PUSH_RESOLUTION_MS = 1_000;

async function recordSuccess(ports: PushPorts, channelId: string, at: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const read = await ports.sync.health(channelId);
    const fresh = read.lastPushAt && Date.parse(at) - Date.parse(read.lastPushAt) < LAST_PUSH_RESOLUTION_MS;
    if (read.state === 'healthy' && read.consecutiveFailures === 0 && fresh) return;
    const recovered = read.state === 'degraded';
    const { failingSince: _f, degradedAt: _d, ...rest } = read;
    const next: ChannelHealth = { ...rest, state: 'healthy', consecutiveFailures: 0, lastPushAt: at };
    if (!(await ports.sync.saveHealth(next, read))) continue;
    if (recovered) {
      await ports.events.publish([
        createEvent(
          ChannelSyncRecovered,
          { channelId, degradedAt: read.degradedAt ?? at, at },
          { correlationId: `sync-${channelId}` },
        ),
      ]);
      // What changed while the channel was down may never have reached it: push everything.
      await requestResync(ports, channelId, 'recovered');
    }
    return;
  }
}

/**
 * Marks every SKU inventory has a number for on the channel as pending and announces the
 * resync; its consumer drains them in batches (so a request or a recovery answers at once).
 */
export async function requestResync(
  ports: PushPorts,
  channelId: string,
  reason: 'requested' | 'recovered',
  correlationId = `sync-${channelId}`,
): Promise<{ skus: number }> {
  const skus = await ports.channelSkus(channelId);
  for (const sku of skus) await ports.sync.mark(channelId, sku);
  await ports.events.publish([
    createEvent(
      ChannelResyncRequested,
      { channelId, reason, skus: skus.length, at: ports.clock().toISOString() },
      { correlationId, now: ports.clock },
    ),
  ]);
  return { skus: skus.length };
}

/** Every pending SKU of the channel (a resync, the sweep). */
export async function drainPending(ports: PushPorts, channelId: string): Promise<DrainOutcome> {
  return drain(ports, channelId, await ports.sync.pending(channelId));
}
