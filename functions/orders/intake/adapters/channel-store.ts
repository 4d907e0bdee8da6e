import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { positiveCache } from '#shared/positive-cache';
import { tableName, withoutKeys } from '#shared/table';
import { type BatchReader, batchReader } from '../../adapters/batch-reader.ts';
import { ordersKeys } from '../../keys.ts';
import type { ListingLookup } from '../core/resolve-lines.ts';
import type { Channel, Listing } from '../schemas/channel.ts';

/** Channel config is read on every webhook; a few seconds of staleness is harmless there. */
const CHANNEL_CACHE_MS = 10_000;
const CHANNEL_CACHE_MAX_ENTRIES = 1_000;
const cache = new Map<string, { channel: Channel | undefined; at: number }>();
/** Listings found (never misses), so a re-pointed listing reaches intake within this long. */
const listingCache = positiveCache<string>(15_000);

/** Channels and their listings (DynamoDB). The channel item is also read by inventory. */
export function dynamoChannelStore(
  table = tableName(),
  reader: BatchReader = batchReader(documentClient(), table),
) {
  const db = documentClient();

  async function read(channelId: string, consistent: boolean): Promise<Channel | undefined> {
    const out = await db.send(
      new GetCommand({ TableName: table, Key: ordersKeys.channel(channelId), ConsistentRead: consistent }),
    );
    return out.Item ? (withoutKeys(out.Item) as unknown as Channel) : undefined;
  }

  const listings: ListingLookup = {
    async find(channelId, externalIds) {
      const result = new Map<string, string>();
      const missing: string[] = [];
      for (const id of new Set(externalIds)) {
        const hit = listingCache.get(`${channelId}\u0000${id}`);
        if (hit) result.set(id, hit);
        else missing.push(id);
      }
      if (missing.length === 0) return result;
      const found = await reader.get(missing.map((id) => ordersKeys.listing(channelId, id)));
      for (const item of found.values()) {
        listingCache.set(`${channelId}\u0000${String(item.externalId)}`, String(item.sku));
        result.set(String(item.externalId), String(item.sku));
      }
      return result;
    },
  };

  return {
    listings,

    /** Consistent read: configuration changes (PUT) must see the latest item. */
    get: (channelId: string) => read(channelId, true),

    /** Cached read for the webhook hot path. */
    async getCached(channelId: string, maxAgeMs = CHANNEL_CACHE_MS): Promise<Channel | undefined> {
      const hit = cache.get(channelId);
      // An unknown channel is re-read after a second: it may have just been configured elsewhere.
      if (hit && Date.now() - hit.at < (hit.channel ? maxAgeMs : 1_000)) return hit.channel;
      const channel = await read(channelId, false);
      // Made-up channel ids come from anyone on the internet: the cache stays bounded.
      if (cache.size >= CHANNEL_CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
      cache.set(channelId, { channel, at: Date.now() });
      return channel;
    },

    async put(channel: Channel): Promise<void> {
      await writeAudited(
        db,
        {
          Put: {
            TableName: table,
            Item: {
              ...ordersKeys.channel(channel.channelId),
              ...ordersKeys.channelIndex(channel.type, channel.channelId),
              entity: 'Channel',
              ...channel,
            },
          },
        },
        { state: channel },
      );
      cache.set(channel.channelId, { channel, at: Date.now() });
    },

    /** Amazon channels, to route a notification by its SellerId and MarketplaceId. */
    async listOfType(type: Channel['type']): Promise<Channel[]> {
      const items: Channel[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :type)',
            ExpressionAttributeValues: {
              ':pk': ordersKeys.channelsPartition,
              ':type': ordersKeys.channelsOfType(type),
            },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) items.push(withoutKeys(item) as unknown as Channel);
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    },

    async getListing(channelId: string, externalId: string): Promise<Listing | undefined> {
      const out = await db.send(
        new GetCommand({
          TableName: table,
          Key: ordersKeys.listing(channelId, externalId),
          ConsistentRead: true,
        }),
      );
      return out.Item ? (withoutKeys(out.Item) as unknown as Listing) : undefined;
    },

    /** The listings that sell `sku` on the channel (index read: a listing put a moment ago may be missing). */
    async listingsOfSku(channelId: string, sku: string): Promise<Listing[]> {
      const items: Listing[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': ordersKeys.listingsOfSku(channelId, sku) },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) items.push(withoutKeys(item) as unknown as Listing);
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    },

    async putListing(listing: Listing): Promise<void> {
      await writeAudited(
        db,
        {
          Put: {
            TableName: table,
            Item: {
              ...ordersKeys.listing(listing.channelId, listing.externalId),
              ...ordersKeys.listingIndex(listing.channelId, listing.sku, listing.externalId),
              entity: 'ChannelListing',
              ...listing,
            },
          },
        },
        { state: listing },
      );
      listingCache.set(`${listing.channelId}\u0000${listing.externalId}`, listing.sku);
    },
  };
}
