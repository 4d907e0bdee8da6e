import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import { catalogKeys } from '../keys.ts';
import type { Sku } from '../schemas/sku.ts';

/**
 * Finding SKUs the way people look for them: a scanned barcode (one item read), or typed text
 * matching the start of the SKU code or anywhere in the name. Text search walks the catalog
 * index page by page with a filter, which is fine for catalogs of tens of thousands of SKUs;
 * beyond that, a search projection (OpenSearch) is the next step.
 */
export function dynamoSkuSearch(table = tableName()) {
  const db = documentClient();
  return {
    async byBarcode(code: string): Promise<Sku | undefined> {
      const ref = await db.send(new GetCommand({ TableName: table, Key: catalogKeys.barcode(code) }));
      if (!ref.Item) return undefined;
      const sku = await db.send(
        new GetCommand({ TableName: table, Key: catalogKeys.sku(String(ref.Item.sku)) }),
      );
      return sku.Item ? (withoutKeys(sku.Item) as Sku) : undefined;
    },

    /** The catalog in SKU order, one index page per call. */
    async list(limit: number, cursor?: string): Promise<{ items: Sku[]; cursor?: string }> {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': catalogKeys.skuIndex('').gsi1pk },
          ExclusiveStartKey: decodeCursor(cursor),
          Limit: limit,
        }),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as Sku),
        ...(next ? { cursor: next } : {}),
      };
    },

    async byText(q: string, limit: number, cursor?: string): Promise<{ items: Sku[]; cursor?: string }> {
      const items: Sku[] = [];
      let start = decodeCursor(cursor);
      const needle = q.toLowerCase();
      // Keep reading index pages until the page is full or the catalog ends.
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': catalogKeys.skuIndex('').gsi1pk },
            ExclusiveStartKey: start,
            Limit: 200,
          }),
        );
        for (const item of out.Items ?? []) {
          const sku = withoutKeys(item) as Sku;
          if (sku.sku.toLowerCase().startsWith(needle) || sku.name.toLowerCase().includes(needle))
            items.push(sku);
          if (items.length === limit) {
            const last = { pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk };
            return { items, cursor: encodeCursor(last) as string };
          }
        }
        start = out.LastEvaluatedKey;
      } while (start);
      return { items };
    },
  };
}
