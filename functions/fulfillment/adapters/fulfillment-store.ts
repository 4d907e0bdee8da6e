import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { auditCancelled, auditCommitted, auditPut, cancellationReasons, writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import type {
  FulfillmentChange,
  FulfillmentPatch,
  FulfillmentStore,
  StoredSettings,
  StoredTask,
  StoredWave,
  TaskRecord,
} from '../core/ports.ts';
import { fulfillmentKeys } from '../keys.ts';
import type { Fulfillment } from '../schemas/fulfillment.ts';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;
type Update = NonNullable<TransactItems[number]['Update']>;

const isConditionFailure = (error: unknown) =>
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';

/** `SET`/`REMOVE` for every field of a patch (undefined removes), plus the version bump. */
interface ExtraCondition {
  condition: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

function patchExpression(patch: Record<string, unknown>, expectedVersion: number, extra?: ExtraCondition) {
  const names: Record<string, string> = { '#version': 'version', ...extra?.names };
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1, ...extra?.values };
  const sets = ['#version = #version + :one'];
  const removes: string[] = [];
  Object.entries(patch).forEach(([field, value], i) => {
    names[`#p${i}`] = field;
    if (value === undefined) removes.push(`#p${i}`);
    else {
      values[`:p${i}`] = value;
      sets.push(`#p${i} = :p${i}`);
    }
  });
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: `#version = :expected${extra ? ` AND ${extra.condition}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** A fulfillment's change, its work-queue keys following its status and cutoff. */
function fulfillmentUpdate(
  table: string,
  before: Fulfillment,
  patch: FulfillmentPatch,
  extra?: ExtraCondition,
): Update {
  const merged = { ...before, ...patch } as Fulfillment;
  if ('cutoffAt' in patch && patch.cutoffAt === undefined) delete merged.cutoffAt;
  const expression = patchExpression(
    { ...patch, ...fulfillmentKeys.fulfillmentQueue(merged) },
    before.version,
    extra,
  );
  return { TableName: table, Key: fulfillmentKeys.fulfillment(before.fulfillmentId), ...expression };
}

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
  const transact = async (items: TransactItems): Promise<boolean> => {
    const audit = auditPut(table);
    try {
      await db.send(new TransactWriteCommand({ TransactItems: [...items, ...(audit ? [audit] : [])] }));
      auditCommitted(audit);
      return true;
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons) auditCancelled(audit, reasons);
      if (reasons?.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
      throw error;
    }
  };
  const update = async (input: Update): Promise<boolean> => {
    try {
      await writeAudited(db, { Update: input });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };
  const getFulfillment = async (id: string) => {
    const out = await db.send(
      new GetCommand({ TableName: table, Key: fulfillmentKeys.fulfillment(id), ConsistentRead: true }),
    );
    return out.Item ? (withoutKeys(out.Item) as unknown as Fulfillment) : undefined;
  };
  const queryAll = async (input: ConstructorParameters<typeof QueryCommand>[0]) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
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
    async create(f) {
      try {
        await db.send(
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
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    get: getFulfillment,
    async getMany(ids) {
      const found = await Promise.all([...new Set(ids)].map(getFulfillment));
      return found.filter((f): f is Fulfillment => Boolean(f));
    },
    update: (before, patch) => update(fulfillmentUpdate(table, before, patch)),
    async byStatus(locationId, status, limit, cursor) {
      const start = decodeCursor(cursor);
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': fulfillmentKeys.queueOf(locationId, status) },
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as unknown as Fulfillment),
        ...(next ? { cursor: next } : {}),
      };
    },
    async ofOrder(orderId) {
      const items = await queryAll({
        TableName: table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': fulfillmentKeys.ofOrder(orderId) },
      });
      return items.map((i) => withoutKeys(i) as unknown as Fulfillment);
    },

    async getWave(waveId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: fulfillmentKeys.wave(waveId), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as unknown as StoredWave) : undefined;
    },
    async wavesAt(locationId, limit, cursor) {
      const start = decodeCursor(cursor);
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': fulfillmentKeys.wavesAt(locationId) },
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as unknown as StoredWave),
        ...(next ? { cursor: next } : {}),
      };
    },
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
    async tasksOf(waveId) {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
        ExpressionAttributeValues: {
          ':pk': fulfillmentKeys.wave(waveId).pk,
          ':task': fulfillmentKeys.taskPrefix,
        },
        ConsistentRead: true,
      });
      return items.map((i) => withoutKeys(i) as unknown as StoredTask);
    },
    async getTask(taskId) {
      const items = await queryAll({
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
      return items[0] ? (withoutKeys(items[0]) as unknown as StoredTask) : undefined;
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

    async getSettings(locationId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: fulfillmentKeys.settings(locationId), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as unknown as StoredSettings) : undefined;
    },
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
      const out = await db.send(
        new GetCommand({
          TableName: table,
          Key: fulfillmentKeys.settings(settings.locationId),
          ConsistentRead: true,
        }),
      );
      return withoutKeys(out.Item ?? { locationId: settings.locationId }) as unknown as StoredSettings;
    },
    async allSettings() {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': fulfillmentKeys.settingsPartition },
      });
      return items.map((i) => withoutKeys(i) as unknown as StoredSettings);
    },
  };
}
