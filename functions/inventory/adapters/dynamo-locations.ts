import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import { inventoryKeys } from '../keys.ts';
import type { Location } from '../schemas/stock.ts';
import { withRetry } from './transient.ts';

/** The stocking locations in id order, a page per call (gsi1: LOCATIONS / <id>). */
export function dynamoLocations(opts: { db?: DynamoDBDocumentClient; table?: string } = {}) {
  const db = opts.db ?? documentClient();
  const table = opts.table ?? tableName();
  return {
    async list(limit: number, cursor?: string): Promise<{ items: Location[]; cursor?: string }> {
      const out = await withRetry(() =>
        db.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': inventoryKeys.locationsPartition },
            ExclusiveStartKey: decodeCursor(cursor),
            Limit: limit,
          }),
        ),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as unknown as Location),
        ...(next ? { cursor: next } : {}),
      };
    },
  };
}
