import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { transactAudited, writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { getItem, queryAll as queryAllOf } from '#shared/queries';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import type {
  FulfillmentChange,
  FulfillmentStore,
  StoredSettings,
  StoredTask,
  StoredWave,
  TaskRecord,
} from '../core/ports.ts';
import { fulfillmentKeys } from '../keys.ts';
import type { Fulfillment } from '../schemas/fulfillment.ts';
import { fulfillmentUpdate, ifConditionHolds, patchExpression, type Update } from './item-writes.ts';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

const waveIdOf = (taskId: string) => taskId.slice(0, taskId.lastIndexOf('.'));

/**
 * Fulfillments, waves, pick tasks and settings in the single table (keys in ../keys.ts). Every
 * change is conditional on the version read; multi-item changes are one transaction with the
 * command's audit record as its last item.
 */
export function dynamoFulfillmentStore(
  table = tableName(),
  db: DynamoDBDocumentClient = documentClient(),
): FulfillmentStore {
  const transact = (items: TransactItems) => transactAudited(db, table, items);
  const update = (input: Update) => ifConditionHolds(() => writeAudited(db, { Update: input }));
  const getFulfillment = (id: string) => getItem<Fulfillment>(db, table, fulfillmentKeys.fulfillment(id));
  const queryAll = <T>(input: ConstructorParameters<typeof QueryCommand>[0]) => queryAllOf<T>(db, input);
  /** One page of a query, from the cursor the previous page answered. */
  const queryPage = async <T>(input: ConstructorParameters<typeof QueryCommand>[0], cursor?: string) => {
    const start = decodeCursor(cursor);
    const out = await db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    const next = encodeCursor(out.LastEvaluatedKey);
    return {
      items: (out.Items ?? []).map((i) => withoutKeys(i) as unknown as T),
      ...(next ? { cursor: next } : {}),
    };
  };
  const batchWrite = async (requests: Record<string, unknown>[]) => {
    for (let i = 0; i < requests.length; i += 25) {
      let pending: Record<string, unknown>[] | undefined = requests.slice(i, i + 25);
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt > 8) throw new Error('Pick tasks could not be written (unprocessed items)');
        if (attempt) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
        pending = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
      }
    }
  };
  const taskItem = (t: StoredTask) => ({ ...fulfillmentKeys.pickTask(t), entity: 'PickTask', ...t });

  return {
    create: (f) =>
      ifConditionHolds(() =>
        db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...fulfillmentKeys.fulfillment(f.fulfillmentId),
              ...fulfillmentKeys.fulfillmentQueue(f),
              ...fulfillmentKeys.fulfillmentOfOrder(f.orderId, f.fulfillmentId),
              entity: 'Fulfillment',
              ...f,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      ),
    get: getFulfillment,
    async getMany(ids) {
      const found = await Promise.all([...new Set(ids)].map(getFulfillment));
      return found.filter((f): f is Fulfillment => Boolean(f));
    },
    update: (before, patch) => update(fulfillmentUpdate(table, before, patch)),
    byStatus: (locationId, status, limit, cursor) =>
      queryPage<Fulfillment>(
        {
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': fulfillmentKeys.queueOf(locationId, status) },
          Limit: limit,
        },
        cursor,
      ),
    ofOrder: (orderId) =>
      queryAll<Fulfillment>({
        TableName: table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': fulfillmentKeys.ofOrder(orderId) },
      }),

    getWave: (waveId) => getItem<StoredWave>(db, table, fulfillmentKeys.wave(waveId)),
    wavesAt: (locationId, limit, cursor) =>
      queryPage<StoredWave>(
        {
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': fulfillmentKeys.wavesAt(locationId) },
          ScanIndexForward: false,
          Limit: limit,
        },
        cursor,
      ),
    async setWaveStatus(waveId, from, to) {
      const values: Record<string, unknown> = { ':to': to };
      from.forEach((s, i) => {
        values[`:f${i}`] = s;
      });
      return update({
        TableName: table,
        Key: fulfillmentKeys.wave(waveId),
        UpdateExpression: 'SET #status = :to',
        ConditionExpression: `#status IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      });
    },
    tasksOf: (waveId) =>
      queryAll<StoredTask>({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
        ExpressionAttributeValues: {
          ':pk': fulfillmentKeys.wave(waveId).pk,
          ':task': fulfillmentKeys.taskPrefix,
        },
        ConsistentRead: true,
      }),
    async getTask(taskId) {
      const items = await queryAll<StoredTask>({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
        FilterExpression: 'taskId = :id',
        ExpressionAttributeValues: {
          ':pk': fulfillmentKeys.wave(waveIdOf(taskId)).pk,
          ':task': fulfillmentKeys.taskPrefix,
          ':id': taskId,
        },
        ConsistentRead: true,
      });
      return items[0];
    },
    async putTasks(tasks) {
      await batchWrite(tasks.map((t) => ({ PutRequest: { Item: taskItem(t) } })));
    },
    async discardTasks(tasks) {
      await batchWrite(tasks.map((t) => ({ DeleteRequest: { Key: fulfillmentKeys.pickTask(t) } })));
    },
    async releaseWave(wave, fulfillments) {
      return transact([
        {
          Put: {
            TableName: table,
            Item: {
              ...fulfillmentKeys.wave(wave.waveId),
              ...fulfillmentKeys.waveIndex(wave),
              entity: 'Wave',
              ...wave,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...fulfillments.map((c) => ({
          Update: fulfillmentUpdate(table, c.before, c.patch, {
            condition: '#was = :released',
            names: { '#was': 'status' },
            values: { ':released': 'released' },
          }),
        })),
      ]);
    },
    async claimTask(task, by, at) {
      return update({
        TableName: table,
        Key: fulfillmentKeys.pickTask(task),
        ...patchExpression(
          { status: 'claimed', claimedBy: by, claimedAt: at, touchedAt: at, binScannedAt: undefined },
          task.version,
          {
            condition: '#was IN (:open, :claimed)',
            names: { '#was': 'status' },
            values: { ':open': 'open', ':claimed': 'claimed' },
          },
        ),
      });
    },
    async touchTask(task, by, at, binScannedAt) {
      return update({
        TableName: table,
        Key: fulfillmentKeys.pickTask(task),
        ...patchExpression({ touchedAt: at, ...(binScannedAt ? { binScannedAt } : {}) }, task.version, {
          condition: '#was = :claimed AND #by = :by',
          names: { '#was': 'status', '#by': 'claimedBy' },
          values: { ':claimed': 'claimed', ':by': by },
        }),
      });
    },
    async recordPick(record: TaskRecord, fulfillments: readonly FulfillmentChange[], measured) {
      const items: TransactItems = [
        {
          Update: {
            TableName: table,
            Key: fulfillmentKeys.pickTask(record.task),
            ...patchExpression(record.patch, record.task.version),
          },
        },
        ...fulfillments.map((c) => ({ Update: fulfillmentUpdate(table, c.before, c.patch) })),
      ];
      if (measured) {
        items.push({
          Update: {
            TableName: table,
            Key: fulfillmentKeys.settings(measured.locationId),
            UpdateExpression:
              'SET #entity = if_not_exists(#entity, :entity), #loc = if_not_exists(#loc, :loc) ADD #units :units, #seconds :seconds',
            ExpressionAttributeNames: {
              '#entity': 'entity',
              '#loc': 'locationId',
              '#units': 'pickedUnits',
              '#seconds': 'pickSeconds',
            },
            ExpressionAttributeValues: {
              ':entity': 'FulfillmentSettings',
              ':loc': measured.locationId,
              ':units': measured.units,
              ':seconds': measured.seconds,
            },
          },
        });
      }
      return transact(items);
    },

    getSettings: (locationId) => getItem<StoredSettings>(db, table, fulfillmentKeys.settings(locationId)),
    async putSettings(settings) {
      const names: Record<string, string> = { '#entity': 'entity' };
      const values: Record<string, unknown> = { ':entity': 'FulfillmentSettings' };
      const sets = ['#entity = :entity'];
      Object.entries(settings).forEach(([field, value], i) => {
        if (value === undefined) return;
        names[`#s${i}`] = field;
        values[`:s${i}`] = value;
        sets.push(`#s${i} = :s${i}`);
      });
      // Only the fields given: the measured pick rate on the same item is kept.
      await writeAudited(db, {
        Update: {
          TableName: table,
          Key: fulfillmentKeys.settings(settings.locationId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
      const stored = await getItem<StoredSettings>(db, table, fulfillmentKeys.settings(settings.locationId));
      return stored ?? { locationId: settings.locationId };
    },
    allSettings: () =>
      queryAll<StoredSettings>({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': fulfillmentKeys.settingsPartition },
      }),
  };
}
