import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { tableName, withoutKeys } from '#shared/table';
import type { ReleaseOrder } from '../schemas.ts';

/**
 * Orders placed since `since`, for the simulator. There is no by-date index on orders yet, so
 * this is a filtered Scan bounded by `limit` — fine for an occasional ops tool on a table of
 * this size, and the first thing to replace (a gsi2 `ORDERSBYDAY#<date>` written by intake).
 */
export async function recentOrders(
  since: string,
  limit: number,
  table = tableName(),
): Promise<{ orders: ReleaseOrder[]; truncated: boolean }> {
  const db = documentClient();
  const orders: ReleaseOrder[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'sk = :order AND begins_with(pk, :prefix) AND placedAt >= :since',
        ExpressionAttributeValues: { ':order': 'ORDER', ':prefix': 'ORDER#', ':since': since },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) orders.push(withoutKeys(item) as unknown as ReleaseOrder);
    start = out.LastEvaluatedKey;
  } while (start && orders.length < limit);
  return { orders: orders.slice(0, limit), truncated: orders.length > limit || Boolean(start) };
}
