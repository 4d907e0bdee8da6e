import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { queryAll } from '#shared/queries';
import { tableName, withoutKeys } from '#shared/table';
import type { PutawayStore } from '../core/ports.ts';
import { putawayKeys } from '../keys.ts';
import type { PutawayTask } from '../schemas/putaway.ts';

const conditionFailed = (e: unknown) => e instanceof ConditionalCheckFailedException;

/** Putaway tasks in the single table (keys in ../keys.ts). */
export function dynamoPutawayStore(
  table = tableName(),
  db: DynamoDBDocumentClient = documentClient(),
): PutawayStore {
  return {
    async create(task) {
      try {
        await writeAudited(
          db,
          {
            Put: {
              TableName: table,
              Item: {
                ...putawayKeys.task(task.taskId),
                ...putawayKeys.openAt(task),
                entity: 'PutawayTask',
                ...task,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { state: task },
        );
      } catch (e) {
        if (!conditionFailed(e)) throw e;
      }
    },

    async task(taskId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: putawayKeys.task(taskId), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as unknown as PutawayTask) : undefined;
    },

    async openAt(locationId) {
      const found = await queryAll<PutawayTask>(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': putawayKeys.openOf(locationId) },
      });
      return found.filter((t) => t.status === 'open');
    },

    async claim(taskId, binId) {
      try {
        await writeAudited(db, {
          Update: {
            TableName: table,
            Key: putawayKeys.task(taskId),
            UpdateExpression: 'SET binId = :bin',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':open': 'open', ':bin': binId },
          },
        });
        return true;
      } catch (e) {
        if (conditionFailed(e)) return false;
        throw e;
      }
    },

    async complete(task) {
      try {
        // The whole item again without the open-task index keys: out of the location's list.
        await writeAudited(
          db,
          {
            Put: {
              TableName: table,
              Item: { ...putawayKeys.task(task.taskId), entity: 'PutawayTask', ...task },
              ConditionExpression: '#status = :open',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':open': 'open' },
            },
          },
          { state: task },
        );
        return true;
      } catch (e) {
        if (conditionFailed(e)) return false;
        throw e;
      }
    },

    // The lease is mechanics, not business state: plain writes, no audit entry.
    async leaseBin(locationId, binId, owner, now, ms) {
      const expiresAt = now.getTime() + ms;
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...putawayKeys.binLease(locationId, binId),
              entity: 'PutawayBinLease',
              owner,
              expiresAt,
              // The table's TTL removes a crashed holder's lease some time later; until then the
              // condition below treats it as free once expiresAt has passed.
              ttl: Math.ceil(expiresAt / 1000) + 60,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': now.getTime() },
          }),
        );
        return true;
      } catch (e) {
        if (conditionFailed(e)) return false;
        throw e;
      }
    },

    async releaseBin(locationId, binId, owner) {
      try {
        await db.send(
          new DeleteCommand({
            TableName: table,
            Key: putawayKeys.binLease(locationId, binId),
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
        );
      } catch (e) {
        if (!conditionFailed(e)) throw e; // ours expired and was taken over: leave the new holder's
      }
    },

    async skusPutInto(locationId, binId) {
      const out = await db.send(
        new GetCommand({
          TableName: table,
          Key: putawayKeys.binSkus(locationId, binId),
          ConsistentRead: true,
        }),
      );
      const skus = out.Item?.skus as Set<string> | undefined;
      return skus ? [...skus] : [];
    },

    async notePutInto(locationId, binId, sku) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: putawayKeys.binSkus(locationId, binId),
          UpdateExpression: 'SET entity = :e ADD skus :sku',
          ExpressionAttributeValues: { ':e': 'PutawayBinSkus', ':sku': new Set([sku]) },
        }),
      );
    },
  };
}
