import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { catalogKeys } from '../functions/catalog/keys.ts';
import { type Bench, measure } from './context.ts';

/**
 * The console's inventory list over a 10,000-SKU catalog: GET /api/skus pages of 50 through
 * the gateway, JWT check and handler (loopback, so the time is server time), beside the raw
 * engine answering the same index query.
 */
const bench: Bench = async ({ runtime, raw, tableName, scale }) => {
  const total = Math.max(1000, Math.round(10_000 * scale));
  const now = new Date().toISOString();
  for (let i = 0; i < total; i += 25) {
    const items = Array.from({ length: Math.min(25, total - i) }, (_, j) => {
      const sku = `LIST-${String(i + j).padStart(6, '0')}`;
      return {
        PutRequest: {
          Item: {
            ...catalogKeys.sku(sku),
            ...catalogKeys.skuIndex(sku),
            entity: 'Sku',
            sku,
            name: `Catalog item ${i + j}`,
            barcodes: [],
            createdAt: now,
            updatedAt: now,
          },
        },
      };
    });
    let pending: typeof items | undefined = items;
    while (pending?.length) {
      const out = await raw.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = out.UnprocessedItems?.[tableName] as typeof items | undefined;
    }
  }

  // Walk the whole list once to collect real cursors, then time random page reads.
  const cursors: (string | undefined)[] = [undefined];
  for (let cursor: string | undefined, n = 0; n <= total / 50; n++) {
    const res = await runtime.api('GET', `/api/skus?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    // A full last page still returns a cursor; the page after it is empty and is not timed.
    if (res.body.items.length === 0) {
      cursors.pop();
      break;
    }
    cursor = res.body.cursor;
    if (!cursor) break;
    cursors.push(cursor);
  }
  const pages = 400;
  const pick = (i: number) => cursors[(i * 7919) % cursors.length];
  const api = await measure(pages, 4, async (i) => {
    const cursor = pick(i);
    const res = await runtime.api('GET', `/api/skus?limit=50${cursor ? `&cursor=${cursor}` : ''}`, {
      role: 'warehouse-associate',
    });
    if (res.status !== 200 || res.body.items.length === 0) throw new Error(`page answered ${res.status}`);
  });
  const rawQuery = await measure(pages, 4, () =>
    raw.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': catalogKeys.skuIndex('').gsi1pk },
        Limit: 50,
      }),
    ),
  );
  return {
    catalogSize: total,
    pageSize: 50,
    pagesWalked: cursors.length,
    listPageOverHttp: api,
    rawIndexQuery: rawQuery,
    p99UnderBudget300Ms: api.p99Ms < 300,
  };
};
export default bench;
