import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { tableName } from '#shared/table';
import type { ChannelAvailabilityStore, ChannelConfig, ChannelStore } from '../core/channel-availability.ts';
import { inventoryKeys } from '../keys.ts';
import { withRetry } from './transient.ts';

/**
 * Channel configuration is owned by orders (`PUT /api/channels/{id}`); inventory keeps its own
 * read model of what it needs (locations, exposure rule), written from ChannelUpserted events and
 * read with one Query per stream batch that changed a SKU's availability. Not cached by default:
 * a stale list would miss announcing a change to a channel created a moment before.
 */
export function dynamoChannels(opts: { db?: DynamoDBDocumentClient; table?: string; cacheMs?: number } = {}) {
  const db = opts.db ?? documentClient();
  const table = opts.table ?? tableName();
  const cacheMs = opts.cacheMs ?? 0;
  let cached: { at: number; channels: ChannelConfig[] } | undefined;

  const channels: ChannelStore = {
    async list(o = {}) {
      if (!o.fresh && cacheMs > 0 && cached && Date.now() - cached.at < cacheMs) return cached.channels;
      const found: ChannelConfig[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await withRetry(() =>
          db.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': inventoryKeys.channelViewPartition },
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }),
          ),
        );
        for (const item of out.Items ?? []) {
          if (typeof item.channelId !== 'string' || !Array.isArray(item.locationIds)) continue;
          found.push({
            channelId: item.channelId,
            locationIds: item.locationIds.map(String),
            ...(item.exposure ? { exposure: item.exposure } : {}),
          });
        }
        start = out.LastEvaluatedKey;
      } while (start);
      cached = { at: Date.now(), channels: found.sort((a, b) => a.channelId.localeCompare(b.channelId)) };
      return cached.channels;
    },
    async save(channel) {
      try {
        await withRetry(() =>
          db.send(
            new PutCommand({
              TableName: table,
              Item: {
                ...inventoryKeys.channelView(channel.channelId),
                entity: 'ChannelView',
                channelId: channel.channelId,
                locationIds: channel.locationIds,
                ...(channel.exposure ? { exposure: channel.exposure } : {}),
                updatedAt: channel.updatedAt,
              },
              // Events can arrive out of order: an older configuration never replaces a newer one.
              ConditionExpression: 'attribute_not_exists(pk) OR updatedAt <= :at',
              ExpressionAttributeValues: { ':at': channel.updatedAt },
            }),
          ),
        );
        cached = undefined;
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };

  const published: ChannelAvailabilityStore = {
    async get(sku, channelId) {
      const out = await withRetry(() =>
        db.send(
          new GetCommand({
            TableName: table,
            Key: inventoryKeys.channelAvailability(sku, channelId),
            ConsistentRead: true,
          }),
        ),
      );
      return out.Item ? Number(out.Item.available) : undefined;
    },
    async swap(sku, channelId, previous, next, at) {
      try {
        await withRetry(() =>
          db.send(
            new PutCommand({
              TableName: table,
              Item: {
                ...inventoryKeys.channelAvailability(sku, channelId),
                ...inventoryKeys.channelAvailabilityIndex(sku, channelId),
                entity: 'ChannelAvailability',
                sku,
                channelId,
                available: next,
                previous: previous ?? 0,
                at,
              },
              ConditionExpression: previous === undefined ? 'attribute_not_exists(pk)' : 'available = :prev',
              ...(previous === undefined ? {} : { ExpressionAttributeValues: { ':prev': previous } }),
            }),
          ),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async skusOf(channelId) {
      const skus: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await withRetry(() =>
          db.send(
            new QueryCommand({
              TableName: table,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :pk',
              ExpressionAttributeValues: { ':pk': inventoryKeys.channelAvailabilityOf(channelId) },
              ExclusiveStartKey: start,
            }),
          ),
        );
        for (const item of out.Items ?? []) skus.push(String(item.sku));
        start = out.LastEvaluatedKey;
      } while (start);
      return skus;
    },
  };

  return { channels, published };
}
