import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { transactAudited, writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { getItem, queryAll } from '#shared/queries';
import { tableName, withoutKeys } from '#shared/table';
import { DEFAULT_CHART } from '../core/accounts.ts';
import type { CostPosition } from '../core/costing.ts';
import type {
  ClosedPeriod,
  EntryCommit,
  FinanceStore,
  ReceiptLine,
  RefundRequest,
  ReturnFact,
  StoredChart,
} from '../core/ports.ts';
import type { JournalEntry, OrderPrices } from '../core/postings.ts';
import { financeKeys as k } from '../keys.ts';

const DEFAULT_BASE_CURRENCY = 'USD';
/** Entries read per page when streaming a day or a period (each holds its lines). */
const PAGE = 500;

const isConditionFailure = (error: unknown) =>
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';

/** Finance's items in the single table (layout in keys.ts). */
export function dynamoFinanceStore(opts: { db?: DynamoDBDocumentClient; table?: string } = {}): FinanceStore {
  const db = opts.db ?? documentClient();
  const table = opts.table ?? tableName();

  async function* pages<T = JournalEntry>(index: 'gsi1' | 'gsi2', partition: string): AsyncIterable<T> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: index,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': `${index}pk` },
          ExpressionAttributeValues: { ':p': partition },
          Limit: PAGE,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) yield withoutKeys(item) as unknown as T;
      start = out.LastEvaluatedKey;
    } while (start);
  }

  return {
    async chart() {
      const found = await getItem<Partial<StoredChart>>(db, table, k.chart());
      return {
        chart: { ...DEFAULT_CHART, ...(found?.chart ?? {}) },
        baseCurrency: found?.baseCurrency ?? DEFAULT_BASE_CURRENCY,
      };
    },
    async putChart(chart) {
      await writeAudited(db, {
        Put: { TableName: table, Item: { ...k.chart(), entity: 'Chart', ...chart } },
      });
    },
    entry: (entryId) => getItem(db, table, k.entry(entryId)),
    async positions(keys) {
      const unique = [...new Map(keys.map((x) => [`${x.sku}\u0000${x.locationId}`, x])).values()];
      const found = await Promise.all(
        unique.map((x) => getItem<CostPosition>(db, table, k.position(x.sku, x.locationId))),
      );
      return found.filter((p): p is CostPosition => Boolean(p));
    },
    positionsOf: (sku) =>
      queryAll<CostPosition>(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :s)',
        ExpressionAttributeValues: { ':p': k.positions, ':s': `${sku}#` },
      }),
    async commit(c: EntryCommit) {
      const { entry } = c;
      const sort = k.entrySort(entry.recordedAt, entry.entryId);
      const items: Parameters<typeof transactAudited>[2] = [
        {
          Put: {
            TableName: table,
            Item: {
              ...k.entry(entry.entryId),
              gsi1pk: k.entriesOfDay(entry.recordedAt.slice(0, 10)),
              gsi1sk: sort,
              gsi2pk: k.entriesOfPeriod(entry.period),
              gsi2sk: sort,
              entity: 'JournalEntry',
              ...(c.extra ?? {}),
              ...entry,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          // The period must still be open when the entry lands (a close in between refuses it).
          ConditionCheck: {
            TableName: table,
            Key: k.period(entry.period),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      for (const p of c.positions) {
        const next = { ...p, version: p.version + 1 };
        items.push({
          Put: {
            TableName: table,
            Item: {
              ...k.position(p.sku, p.locationId),
              gsi1pk: k.positions,
              gsi1sk: k.positionSort(p.sku, p.locationId),
              entity: 'CostPosition',
              ...next,
            },
            ...(p.version === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#ver = :ver',
                  ExpressionAttributeNames: { '#ver': 'version' },
                  ExpressionAttributeValues: { ':ver': p.version },
                }),
          },
        });
        items.push({
          Put: {
            TableName: table,
            Item: {
              ...k.positionAt(p.sku, p.locationId, entry.recordedAt, entry.entryId),
              entity: 'CostPositionAt',
              ...next,
              at: entry.recordedAt,
              entryId: entry.entryId,
            },
          },
        });
      }
      for (const r of c.receiptLines ?? []) {
        items.push({
          Update: {
            TableName: table,
            Key: k.receiptLine(r.receiptRef, r.sku, r.locationId),
            UpdateExpression:
              'SET entity = :e, receiptRef = :r, sku = :s, locationId = :l, currency = :c ADD quantity :q, #v :v',
            ExpressionAttributeNames: { '#v': 'value' },
            ExpressionAttributeValues: {
              ':e': 'ReceiptLine',
              ':r': r.receiptRef,
              ':s': r.sku,
              ':l': r.locationId,
              ':c': r.currency,
              ':q': r.quantity,
              ':v': r.value,
            },
          },
        });
      }
      return transactAudited(db, table, items);
    },
    receiptLines: (receiptRef) =>
      queryAll<ReceiptLine>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': k.receipt(receiptRef), ':s': 'LINE#' },
        ConsistentRead: true,
      }),
    orderPrices: (orderId) => getItem<OrderPrices>(db, table, k.orderPrices(orderId)),
    async putOrderPrices(prices) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...k.orderPrices(prices.orderId),
              ...(prices.placedAt
                ? {
                    gsi1pk: k.ordersOfDay(prices.placedAt.slice(0, 10)),
                    gsi1sk: `${prices.placedAt}#${prices.orderId}`,
                  }
                : {}),
              entity: 'OrderPrices',
              ...prices,
            },
            // An older order event arriving late never replaces newer prices.
            ConditionExpression: 'attribute_not_exists(pk) OR asOf <= :a',
            ExpressionAttributeValues: { ':a': prices.asOf },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
    async closedPeriod(period) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: k.period(period), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as unknown as ClosedPeriod) : undefined;
    },
    closedPeriods: () =>
      queryAll<ClosedPeriod>(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': k.periods },
      }),
    async closePeriod(p) {
      return transactAudited(db, table, [
        {
          Put: {
            TableName: table,
            Item: { ...k.period(p.period), gsi1pk: k.periods, gsi1sk: p.period, entity: 'Period', ...p },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
    },
    ordersOfDay: (day) => pages<OrderPrices>('gsi1', k.ordersOfDay(day)),
    async putReturnFact(fact: ReturnFact) {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...k.returned(fact.returnId), entity: 'ReturnFact', ...fact },
        }),
      );
    },
    returnFact: (returnId) => getItem<ReturnFact>(db, table, k.returned(returnId)),
    async putRefundRequest(request: RefundRequest) {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...k.refundRequest(request.returnId, request.attempt),
            entity: 'RefundRequest',
            ...request,
          },
        }),
      );
    },
    refundRequest: (returnId, attempt) =>
      getItem<RefundRequest>(db, table, k.refundRequest(returnId, attempt)),
    entriesOfPeriod: (period) => pages('gsi2', k.entriesOfPeriod(period)),
    entriesOfDay: (day) => pages('gsi1', k.entriesOfDay(day)),
  };
}
