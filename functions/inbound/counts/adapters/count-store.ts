import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { transactAudited, writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { getItem, queryAll } from '#shared/queries';
import { tableName } from '#shared/table';
import type { SkuVelocity } from '../core/abc.ts';
import type { CountStore } from '../core/ports.ts';
import { countKeys } from '../keys.ts';
import type { CountSettings, CountTask, CountVariance } from '../schemas.ts';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Items of one shipment per transaction (a marker + one counter per SKU, within DynamoDB's 100). */
const SHIPMENT_CHUNK = 90;

/** An item as the core knows it: without the table's bookkeeping attribute. */
const bare = <T>(item: (T & { entity?: unknown }) | undefined): T | undefined => {
  if (!item) return undefined;
  const { entity: _entity, ...rest } = item;
  return rest as T;
};
const allBare = <T>(items: (T & { entity?: unknown })[]): T[] => items.map((i) => bare<T>(i) as T);

const varianceItem = (v: CountVariance) => ({
  ...countKeys.variance(v.varianceId),
  gsi1pk: countKeys.variancesWith(v.status),
  gsi1sk: `${v.countedAt}#${v.varianceId}`,
  entity: 'CountVariance',
  ...v,
});

export interface CountStoreWithFeeds extends CountStore {
  /** Adds a shipment's units per SKU to its month, once per event (a marker per chunk). */
  recordShipment(eventId: string, month: string, units: ReadonlyMap<string, number>): Promise<void>;
  /** Keeps the latest received unit cost of a SKU (an older receipt arriving late changes nothing). */
  recordCost(sku: string, unitCostMinor: number, currency: string, at: string): Promise<void>;
}

/** Cycle counts in the single table (keys in ../keys.ts). */
export function dynamoCountStore(
  table = tableName(),
  db: DynamoDBDocumentClient = documentClient(),
): CountStoreWithFeeds {
  const transact = (items: TransactItems) => transactAudited(db, table, items);
  return {
    settings: async () => bare<CountSettings>(await getItem(db, table, countKeys.settings)),

    async putSettings(settings) {
      await writeAudited(
        db,
        { Put: { TableName: table, Item: { ...countKeys.settings, entity: 'CountSettings', ...settings } } },
        { state: settings },
      );
    },

    async createTask(task) {
      const created = await transact([
        {
          Update: {
            TableName: table,
            Key: countKeys.bin(task.locationId, task.binId),
            UpdateExpression: 'SET openTaskId = :t, binId = :b, entity = :e',
            ConditionExpression: 'attribute_not_exists(openTaskId)',
            ExpressionAttributeValues: { ':t': task.taskId, ':b': task.binId, ':e': 'CountBin' },
          },
        },
        {
          Put: {
            TableName: table,
            Item: {
              ...countKeys.task(task.taskId),
              gsi1pk: countKeys.openOf(task.locationId),
              gsi1sk: `${task.createdAt}#${task.taskId}`,
              entity: 'CountTask',
              ...task,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      if (created) return { created: true };
      const bin = await getItem<{ openTaskId?: string }>(
        db,
        table,
        countKeys.bin(task.locationId, task.binId),
      );
      // Submitted in between: the bin is free again, so try once more.
      if (!bin?.openTaskId) return this.createTask(task);
      return { created: false, openTaskId: bin.openTaskId };
    },

    task: async (taskId) => bare<CountTask>(await getItem(db, table, countKeys.task(taskId))),

    async openTasks(locationId) {
      const found = await queryAll<CountTask>(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': countKeys.openOf(locationId) },
      });
      return allBare(found.filter((t) => t.status === 'open'));
    },

    submittedTasks: async (locationId, from) =>
      allBare(
        await queryAll<CountTask>(db, {
          TableName: table,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :from',
          ExpressionAttributeValues: { ':pk': countKeys.doneOf(locationId), ':from': from },
        }),
      ),

    async binStates(locationId) {
      return queryAll<{ binId: string; openTaskId?: string; lastCountedAt?: string }>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': countKeys.binsPartition(locationId) },
      });
    },

    submit(task, variances) {
      return transact([
        {
          Put: {
            TableName: table,
            // The whole item again, out of the open index and into the submitted one.
            Item: {
              ...countKeys.task(task.taskId),
              gsi2pk: countKeys.doneOf(task.locationId),
              gsi2sk: `${task.submittedAt}#${task.taskId}`,
              entity: 'CountTask',
              ...task,
            },
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':open': 'open' },
          },
        },
        {
          Update: {
            TableName: table,
            Key: countKeys.bin(task.locationId, task.binId),
            UpdateExpression: 'REMOVE openTaskId SET lastCountedAt = :at',
            ConditionExpression: 'openTaskId = :t',
            ExpressionAttributeValues: { ':t': task.taskId, ':at': task.submittedAt },
          },
        },
        ...variances.map((v) => ({
          Put: { TableName: table, Item: varianceItem(v), ConditionExpression: 'attribute_not_exists(pk)' },
        })),
      ]);
    },

    variance: async (varianceId) =>
      bare<CountVariance>(await getItem(db, table, countKeys.variance(varianceId))),

    async variances(status) {
      const found = await queryAll<CountVariance>(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': countKeys.variancesWith(status) },
      });
      return allBare(found.filter((v) => v.status === status));
    },

    async updateVariance(next, from) {
      const values = Object.fromEntries(from.map((s, i) => [`:s${i}`, s]));
      try {
        await writeAudited(
          db,
          {
            Put: {
              TableName: table,
              Item: varianceItem(next),
              ConditionExpression: `#status IN (${Object.keys(values).join(', ')})`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: values,
            },
          },
          { state: next },
        );
        return true;
      } catch (e) {
        if (e instanceof ConditionalCheckFailedException) return false;
        throw e;
      }
    },

    async velocity(months) {
      const [perMonth, costs] = await Promise.all([
        Promise.all(
          months.map((m) =>
            queryAll<{ sku: string; units: number }>(db, {
              TableName: table,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': countKeys.velocityMonth(m) },
            }),
          ),
        ),
        queryAll<{ sku: string; unitCostMinor: number; currency: string }>(db, {
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': countKeys.costsPartition },
        }),
      ]);
      const rows = new Map<string, SkuVelocity>();
      for (const items of perMonth)
        for (const i of items) {
          const row = rows.get(i.sku) ?? { sku: i.sku, shippedUnits: 0 };
          row.shippedUnits += Number(i.units ?? 0);
          rows.set(i.sku, row);
        }
      for (const c of costs) {
        const row = rows.get(c.sku) ?? { sku: c.sku, shippedUnits: 0 };
        rows.set(c.sku, { ...row, unitCostMinor: c.unitCostMinor, currency: c.currency });
      }
      return [...rows.values()];
    },

    async recordShipment(eventId, month, units) {
      const entries = [...units].filter(([, n]) => n > 0);
      for (let i = 0; i * SHIPMENT_CHUNK < entries.length; i++) {
        const chunk = entries.slice(i * SHIPMENT_CHUNK, (i + 1) * SHIPMENT_CHUNK);
        // False when the marker exists: this chunk of this event was counted before.
        await transact([
          {
            Put: {
              TableName: table,
              Item: { ...countKeys.velocityMarker(eventId, i), entity: 'VelocityMarker', month },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...chunk.map(([sku, n]) => ({
            Update: {
              TableName: table,
              Key: { pk: countKeys.velocityMonth(month), sk: sku },
              UpdateExpression: 'ADD units :n SET entity = :e, sku = :sku',
              ExpressionAttributeValues: { ':n': n, ':e': 'SkuVelocity', ':sku': sku },
            },
          })),
        ]);
      }
    },

    async recordCost(sku, unitCostMinor, currency, at) {
      try {
        await writeAudited(db, {
          Put: {
            TableName: table,
            Item: { ...countKeys.cost(sku), entity: 'SkuCost', sku, unitCostMinor, currency, at },
            ConditionExpression: 'attribute_not_exists(pk) OR #at <= :at',
            ExpressionAttributeNames: { '#at': 'at' },
            ExpressionAttributeValues: { ':at': at },
          },
        });
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      }
    },
  };
}
