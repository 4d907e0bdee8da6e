import type { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { tableName } from '#shared/table';
import { dynamoOrderStore } from '../../adapters/order-store.ts';
import { ordersKeys } from '../../keys.ts';
import type { BackorderEntry, BackorderQueue, ReleaseStore } from '../core/ports.ts';
import { releaseKeys } from '../keys.ts';

const conditionFailed = (e: unknown): e is ConditionalCheckFailedException =>
  (e as Error).name === 'ConditionalCheckFailedException';

/**
 * The release state on the order item. Every write is one UpdateItem conditioned on the
 * `releaseVersion` that was read (intake never writes it) and, unless a cancellation is being
 * recorded, on the order not being cancelled — by intake (`status = cancelled`) or by ops
 * (`cancellation`). A failed condition returns the old item, so the caller learns which it was.
 */
export function dynamoReleaseStore(table = tableName()): ReleaseStore {
  const db = documentClient();
  const orders = dynamoOrderStore(table);
  return {
    load: (orderId) => orders.loadForRelease(orderId),
    save: (order, patch, opts) => orders.saveRelease(order, patch, opts),

    async parkToken(orderId, token, at, releaseVersion) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: {
                    ...releaseKeys.holdWait(orderId),
                    entity: 'HoldWait',
                    orderId,
                    taskToken: token,
                    parkedAt: at,
                  },
                },
              },
              {
                ConditionCheck: {
                  TableName: table,
                  Key: ordersKeys.order(orderId),
                  ConditionExpression:
                    releaseVersion === undefined ? 'attribute_not_exists(#v)' : '#v = :read',
                  ExpressionAttributeNames: { '#v': 'releaseVersion' },
                  ...(releaseVersion === undefined
                    ? {}
                    : { ExpressionAttributeValues: { ':read': releaseVersion } }),
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'TransactionCanceledException') return false;
        throw error;
      }
    },

    async parkedToken(orderId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: releaseKeys.holdWait(orderId), ConsistentRead: true }),
      );
      return out.Item?.taskToken as string | undefined;
    },

    async clearToken(orderId, token) {
      try {
        await db.send(
          new DeleteCommand({
            TableName: table,
            Key: releaseKeys.holdWait(orderId),
            ConditionExpression: 'taskToken = :t',
            ExpressionAttributeValues: { ':t': token },
          }),
        );
      } catch (error) {
        if (!conditionFailed(error)) throw error; // a newer wait parked meanwhile: keep it
      }
    },
  };
}

/**
 * Backorder queue entries (one per order and short SKU, sorted by channel priority then age)
 * and the per-SKU lock that makes one retry run at a time: a conditional lease (`owner`,
 * `leaseUntil`) plus a `dirty` flag that later arrivals set for the running owner.
 */
export function dynamoBackorderQueue(table = tableName()): BackorderQueue {
  const db = documentClient();
  const keyOf = (e: BackorderEntry) =>
    releaseKeys.backorderEntry(e.sku, e.channelPriority, e.placedAt, e.orderId);
  return {
    async put(entries) {
      await Promise.all(
        entries.map((e) =>
          db.send(new PutCommand({ TableName: table, Item: { ...keyOf(e), entity: 'Backorder', ...e } })),
        ),
      );
    },
    async remove(entries) {
      await Promise.all(entries.map((e) => db.send(new DeleteCommand({ TableName: table, Key: keyOf(e) }))));
    },
    async page(sku, limit, after) {
      const pk = releaseKeys.backorderQueue(sku);
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :q)',
          ExpressionAttributeValues: { ':pk': pk, ':q': releaseKeys.backorderEntryPrefix },
          ConsistentRead: true,
          Limit: limit,
          ...(after ? { ExclusiveStartKey: { pk, sk: after } } : {}),
        }),
      );
      const entries = (out.Items ?? []).map((i) => ({
        sku: i.sku as string,
        orderId: i.orderId as string,
        channelPriority: i.channelPriority as number,
        placedAt: i.placedAt as string,
      }));
      const next = out.LastEvaluatedKey?.sk as string | undefined;
      return { entries, ...(next ? { next } : {}) };
    },
    async acquire(sku, owner, leaseMs) {
      const Key = releaseKeys.backorderLock(sku);
      for (;;) {
        const now = Date.now();
        try {
          await db.send(
            new UpdateCommand({
              TableName: table,
              Key,
              UpdateExpression: 'SET #owner = :owner, leaseUntil = :until, dirty = :no, entity = :entity',
              ConditionExpression: 'attribute_not_exists(#owner) OR leaseUntil < :now',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: {
                ':owner': owner,
                ':until': now + leaseMs,
                ':no': false,
                ':now': now,
                ':entity': 'BackorderLock',
              },
            }),
          );
          return 'acquired';
        } catch (error) {
          if (!conditionFailed(error)) throw error;
        }
        try {
          await db.send(
            new UpdateCommand({
              TableName: table,
              Key,
              UpdateExpression: 'SET dirty = :yes',
              ConditionExpression: 'attribute_exists(#owner) AND leaseUntil >= :now',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':yes': true, ':now': now },
            }),
          );
          return 'flagged';
        } catch (error) {
          if (!conditionFailed(error)) throw error; // released (or lapsed) meanwhile: try to take it
        }
      }
    },
    async releaseLock(sku, owner, leaseMs) {
      const Key = releaseKeys.backorderLock(sku);
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key,
            UpdateExpression: 'REMOVE #owner, leaseUntil',
            ConditionExpression: '#owner = :owner AND dirty = :no',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner, ':no': false },
          }),
        );
        return 'released';
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key,
            UpdateExpression: 'SET dirty = :no, leaseUntil = :until',
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner, ':no': false, ':until': Date.now() + leaseMs },
          }),
        );
        return 'again';
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        return 'released'; // the lease lapsed and another run owns the queue now
      }
    },
  };
}
