import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getItem, queryAll } from '#shared/queries';
import type { ChannelHealth, SyncStore } from '../core/ports.ts';
import { connectorKeys } from '../keys.ts';

const conditionFailed = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error).name === 'ConditionalCheckFailedException';

/** Sync items and channel health in the single table. */
export function dynamoSyncStore(db: DynamoDBDocumentClient, table: string): SyncStore {
  return {
    async mark(channelId, sku) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: connectorKeys.sync(channelId, sku),
          UpdateExpression:
            'ADD desiredVersion :one SET entity = :entity, channelId = :c, sku = :sku, gsi1pk = :gpk, gsi1sk = :gsk, pushedVersion = if_not_exists(pushedVersion, :zero)',
          ExpressionAttributeValues: {
            ':one': 1,
            ':zero': 0,
            ':entity': 'ChannelSkuSync',
            ':c': channelId,
            ':sku': sku,
            ':gpk': connectorKeys.pendingIndex(channelId, sku).gsi1pk,
            ':gsk': connectorKeys.pendingIndex(channelId, sku).gsi1sk,
          },
        }),
      );
    },

    async claim(channelId, sku, owner, nowMs, leaseMs) {
      try {
        const out = await db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.sync(channelId, sku),
            UpdateExpression: 'SET leaseOwner = :me, leaseUntil = :until',
            ConditionExpression:
              'desiredVersion > pushedVersion AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :me)',
            ExpressionAttributeValues: { ':me': owner, ':until': nowMs + leaseMs, ':now': nowMs },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Number(out.Attributes?.desiredVersion);
      } catch (error) {
        if (conditionFailed(error)) return undefined;
        throw error;
      }
    },

    async complete(channelId, sku, owner, version, quantity, at) {
      const values = { ':me': owner, ':v': version, ':q': quantity, ':at': at };
      try {
        // Nothing newer arrived: the SKU leaves the pending list with the lease.
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.sync(channelId, sku),
            UpdateExpression:
              'SET pushedVersion = :v, pushedQuantity = :q, pushedAt = :at REMOVE leaseOwner, leaseUntil, gsi1pk, gsi1sk',
            ConditionExpression: 'leaseOwner = :me AND desiredVersion = :v',
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.sync(channelId, sku),
            UpdateExpression:
              'SET pushedVersion = :v, pushedQuantity = :q, pushedAt = :at REMOVE leaseOwner, leaseUntil',
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeValues: values,
          }),
        );
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
      return false;
    },

    async release(channelId, sku, owner) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.sync(channelId, sku),
            UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeValues: { ':me': owner },
          }),
        );
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
    },

    async pending(channelId) {
      const items = await queryAll<{ sku: string }>(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :c)',
        ExpressionAttributeValues: {
          ':pk': connectorKeys.pendingPartition,
          ':c': connectorKeys.pendingOf(channelId),
        },
      });
      return items.map((i) => i.sku);
    },

    async pendingChannels() {
      const items = await queryAll<{ channelId: string }>(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': connectorKeys.pendingPartition },
      });
      return [...new Set(items.map((i) => i.channelId))];
    },

    async health(channelId) {
      const item = await getItem<ChannelHealth & { revision?: number }>(
        db,
        table,
        connectorKeys.health(channelId),
      );
      return item ?? { channelId, state: 'healthy', consecutiveFailures: 0, recentFailures: [] };
    },

    async saveHealth(next, read) {
      const revision = (read as { revision?: number }).revision;
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...connectorKeys.health(next.channelId),
              entity: 'ChannelSyncHealth',
              ...next,
              revision: (revision ?? 0) + 1,
            },
            ConditionExpression: revision === undefined ? 'attribute_not_exists(pk)' : 'revision = :r',
            ...(revision === undefined ? {} : { ExpressionAttributeValues: { ':r': revision } }),
          }),
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },
  };
}
