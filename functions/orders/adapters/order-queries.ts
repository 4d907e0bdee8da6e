import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import { orderIdFor, ordersKeys } from '../keys.ts';
import type { StoredOrder } from '../schemas/canonical-order.ts';

/** Read side of orders. `(channelId, externalId)` is a point read: the orderId is derived from it. */
export function dynamoOrderQueries(table = tableName()) {
  const db = documentClient();
  const get = async (orderId: string): Promise<StoredOrder | undefined> => {
    const out = await db.send(
      new GetCommand({ TableName: table, Key: ordersKeys.order(orderId), ConsistentRead: true }),
    );
    return out.Item ? (withoutKeys(out.Item) as unknown as StoredOrder) : undefined;
  };
  return {
    get,
    byExternalId: (channelId: string, externalId: string) => get(orderIdFor(channelId, externalId)),
    async listByChannel(channelId: string, limit: number, cursor?: string) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': ordersKeys.ordersOfChannel(channelId) },
          Limit: limit,
          ExclusiveStartKey: decodeCursor(cursor),
        }),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as unknown as StoredOrder),
        ...(next ? { cursor: next } : {}),
      };
    },
  };
}
