import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { getItem, queryAll } from '#shared/queries';
import { tableName, withoutKeys } from '#shared/table';
import type { DemandRow } from '../core/demand-csv.ts';
import type { ForecastRecord } from '../core/plan.ts';
import type { PlanningRun, PlanningStore, RiskState } from '../core/ports.ts';
import type { Suggestion } from '../core/replenishment.ts';
import type { FollowedPo } from '../core/suppliers.ts';
import { planningKeys as k } from '../keys.ts';
import type { MarkedEvent, PlanningSettings } from '../schemas/planning.ts';

const RECEIVED_PREFIX = 'recv#';

/** Runs `fn` over `items` with at most `limit` at once. */
async function pooled<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** Planning's items in the single table (keys in ../keys.ts). */
export function dynamoPlanningStore(table = tableName(), db: DynamoDBDocumentClient = documentClient()) {
  const batchPut = async (items: Record<string, unknown>[]) => {
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    await pooled(chunks, 4, async (chunk) => {
      let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    });
  };
  const runItem = (run: PlanningRun) => ({
    pk: k.run(run.runId),
    sk: 'RUN',
    gsi1pk: k.runs,
    gsi1sk: `${run.requestedAt}#${run.runId}`,
    entity: 'PlanningRun',
    ...run,
  });
  const touchSeries = (sku: string, locationId: string) =>
    db.send(
      new PutCommand({
        TableName: table,
        Item: { pk: k.series, sk: k.seriesSort(sku, locationId), entity: 'DemandSeries', sku, locationId },
      }),
    );

  const store = {
    settings: () => getItem<PlanningSettings>(db, table, k.settings),
    async markedEvents() {
      return (await getItem<{ events: MarkedEvent[] }>(db, table, k.events))?.events ?? [];
    },
    async putSettings(settings: PlanningSettings) {
      await writeAudited(db, {
        Put: { TableName: table, Item: { ...k.settings, entity: 'PlanningSettings', ...settings } },
      });
    },
    async putMarkedEvents(events: MarkedEvent[]) {
      await writeAudited(db, {
        Put: { TableName: table, Item: { ...k.events, entity: 'MarkedEvents', events } },
      });
    },
    seriesKeys: () =>
      queryAll<{ sku: string; locationId: string }>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': k.series },
        ProjectionExpression: 'sku, locationId',
      }),
    async demand(sku: string, locationId: string, from: string, to: string) {
      const items = await queryAll<{ date: string; shipped?: number; imported?: number }>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':pk': k.demand(sku, locationId), ':a': from, ':b': to },
      });
      // An imported day is the business's own record of it: it replaces what was shipped.
      return items.map((i) => ({ date: i.date, quantity: i.imported ?? i.shipped ?? 0 }));
    },
    /** Units shipped on a day add up (the consumer runs once per event). */
    async addShipped(sku: string, locationId: string, date: string, quantity: number) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: k.demand(sku, locationId), sk: date },
          UpdateExpression: 'ADD shipped :q SET entity = :e, #d = :d',
          ExpressionAttributeNames: { '#d': 'date' },
          ExpressionAttributeValues: { ':q': quantity, ':e': 'DemandDay', ':d': date },
        }),
      );
      await touchSeries(sku, locationId);
    },
    /** An uploaded day is set, never added: the same file again writes the same values. */
    async importDays(rows: readonly DemandRow[]) {
      const series = new Map<string, DemandRow>();
      for (const r of rows) series.set(k.seriesSort(r.sku, r.locationId), r);
      await pooled([...series.values()], 8, async (r) => {
        await touchSeries(r.sku, r.locationId);
      });
      await pooled(rows, 16, async (r) => {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: k.demand(r.sku, r.locationId), sk: r.date },
            UpdateExpression: 'SET imported = :q, entity = :e, #d = :d',
            ExpressionAttributeNames: { '#d': 'date' },
            ExpressionAttributeValues: { ':q': r.quantity, ':e': 'DemandDay', ':d': r.date },
          }),
        );
      });
    },
    async followedPos(): Promise<FollowedPo[]> {
      const items = await queryAll<Record<string, unknown>>(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': k.pos },
      });
      return items.map((i) => {
        const received: Record<string, number> = {};
        for (const [name, value] of Object.entries(i))
          if (name.startsWith(RECEIVED_PREFIX)) received[name.slice(RECEIVED_PREFIX.length)] = Number(value);
        return {
          poId: String(i.poId),
          supplierId: String(i.supplierId),
          ...(i.placedAt ? { placedAt: String(i.placedAt) } : {}),
          ...(i.expectedAt ? { expectedAt: String(i.expectedAt) } : {}),
          ordered: (i.ordered ?? {}) as Record<string, number>,
          received,
          ...(i.firstReceivedAt ? { firstReceivedAt: String(i.firstReceivedAt) } : {}),
          ...(i.lastReceivedAt ? { lastReceivedAt: String(i.lastReceivedAt) } : {}),
          exceptions: Number(i.exceptions ?? 0),
          ...(i.cancelled ? { cancelled: true } : {}),
        };
      });
    },
    async poPlaced(po: {
      poId: string;
      supplierId: string;
      placedAt: string;
      expectedAt: string;
      lines: { sku: string; quantity: number }[];
    }) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: k.po(po.poId),
          UpdateExpression:
            'SET entity = :e, poId = :id, supplierId = :s, placedAt = :p, expectedAt = :x, ordered = :o, gsi1pk = :g, gsi1sk = :gs',
          ExpressionAttributeValues: {
            ':e': 'FollowedPo',
            ':id': po.poId,
            ':s': po.supplierId,
            ':p': po.placedAt,
            ':x': po.expectedAt,
            ':o': Object.fromEntries(po.lines.map((l) => [l.sku, l.quantity])),
            ':g': k.pos,
            ':gs': `${po.supplierId}#${po.poId}`,
          },
        }),
      );
      // The SKU is bought from the supplier of its latest PO.
      await pooled(po.lines, 8, async (l) => {
        try {
          await db.send(
            new UpdateCommand({
              TableName: table,
              Key: { pk: k.skuSuppliers, sk: l.sku },
              UpdateExpression: 'SET entity = :e, sku = :sku, supplierId = :s, placedAt = :p',
              ConditionExpression: 'attribute_not_exists(placedAt) OR placedAt <= :p',
              ExpressionAttributeValues: {
                ':e': 'SkuSupplier',
                ':sku': l.sku,
                ':s': po.supplierId,
                ':p': po.placedAt,
              },
            }),
          );
        } catch (error) {
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        }
      });
    },
    async poReceived(poId: string, sku: string, quantity: number, at: string) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: k.po(poId),
          UpdateExpression:
            'ADD #r :q SET entity = :e, poId = :id, firstReceivedAt = if_not_exists(firstReceivedAt, :at), lastReceivedAt = :at',
          ExpressionAttributeNames: { '#r': `${RECEIVED_PREFIX}${sku}` },
          ExpressionAttributeValues: { ':q': quantity, ':e': 'FollowedPo', ':id': poId, ':at': at },
        }),
      );
    },
    async poException(poId: string) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: k.po(poId),
          UpdateExpression: 'ADD exceptions :one SET entity = :e, poId = :id',
          ExpressionAttributeValues: { ':one': 1, ':e': 'FollowedPo', ':id': poId },
        }),
      );
    },
    async poCancelled(poId: string) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: k.po(poId),
          UpdateExpression: 'SET cancelled = :t, entity = :e, poId = :id',
          ExpressionAttributeValues: { ':t': true, ':e': 'FollowedPo', ':id': poId },
        }),
      );
    },
    async skuSuppliers() {
      const items = await queryAll<{ sku: string; supplierId: string }>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': k.skuSuppliers },
      });
      return new Map(items.map((i) => [i.sku, i.supplierId]));
    },
    async putBackorder(orderId: string, lines: { sku: string; quantity: number }[], at: string) {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { pk: k.backorders, sk: orderId, entity: 'OpenBackorder', orderId, lines, at },
        }),
      );
    },
    /** A release or cancellation at `at` ends a backorder recorded at or before it (never a later one). */
    async clearBackorder(orderId: string, at: string) {
      try {
        await db.send(
          new DeleteCommand({
            TableName: table,
            Key: { pk: k.backorders, sk: orderId },
            ConditionExpression: 'attribute_exists(pk) AND #at <= :at',
            ExpressionAttributeNames: { '#at': 'at' },
            ExpressionAttributeValues: { ':at': at },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    },
    async backorders() {
      const items = await queryAll<{ lines?: { sku: string; quantity: number }[] }>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': k.backorders },
      });
      const out = new Map<string, number>();
      for (const i of items)
        for (const l of i.lines ?? []) out.set(l.sku, (out.get(l.sku) ?? 0) + l.quantity);
      return out;
    },
    async riskStates() {
      const items = await queryAll<RiskState & { sku: string; locationId: string }>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': k.risk },
      });
      return new Map(items.map((i) => [`${i.sku}#${i.locationId}`, i]));
    },
    async putRiskStates(states: readonly (RiskState & { sku: string; locationId: string })[]) {
      await batchPut(
        states.map((s) => ({ pk: k.risk, sk: `${s.sku}#${s.locationId}`, entity: 'StockoutRisk', ...s })),
      );
    },
    async putRun(run: PlanningRun) {
      await db.send(new PutCommand({ TableName: table, Item: runItem(run) }));
    },
    /** Records a requested run unless the run function has written it already. */
    async putRequestedRun(run: PlanningRun) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: runItem(run),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    },
    run: (runId: string) => getItem<PlanningRun>(db, table, { pk: k.run(runId), sk: 'RUN' }),
    async recentRuns(limit: number) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': k.runs },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => withoutKeys(i) as unknown as PlanningRun);
    },
    async writeResults(
      runId: string,
      forecasts: readonly ForecastRecord[],
      suggestions: readonly Suggestion[],
    ) {
      const pk = k.run(runId);
      await batchPut([
        ...forecasts.map((f) => ({ pk, sk: k.forecast(f.sku, f.locationId), entity: 'Forecast', ...f })),
        ...suggestions.map((s) => ({
          pk,
          sk: k.suggestion(s.type, s.sku, s.locationId, s.fromLocationId),
          entity: 'Suggestion',
          ...s,
        })),
      ]);
    },
    async setLatest(runId: string, finishedAt: string) {
      await db.send(
        new PutCommand({ TableName: table, Item: { ...k.latest, entity: 'LatestRun', runId, finishedAt } }),
      );
    },
    latest: () => getItem<{ runId: string; finishedAt: string }>(db, table, k.latest),
    forecastsOf: (runId: string, sku: string) =>
      queryAll<ForecastRecord>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': k.run(runId), ':p': `FC#${sku}#` },
      }),
    suggestionsOf: (runId: string, type?: 'po' | 'transfer') =>
      queryAll<Suggestion>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': k.run(runId), ':p': type ? `SUG#${type}#` : 'SUG#' },
      }),
  } satisfies PlanningStore & Record<string, unknown>;
  return store;
}
