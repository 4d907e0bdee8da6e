import type { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { tableName, withoutKeys } from '#shared/table';
import type { IntakeStore, OrderOutcome } from '../intake/core/intake-records.ts';
import { ordersKeys } from '../keys.ts';
import type { SaveOutcome } from '../release/core/ports.ts';
import type { ReleaseFields, ReleaseOrder } from '../release/schemas.ts';
import type { StoredOrder } from '../schemas/canonical-order.ts';
import { type BatchReader, batchReader, itemKeyOf } from './batch-reader.ts';

/**
 * Empty maps are left out (DynamoDB Streams consumers built on the SDK's unmarshall reject an
 * empty `M` in a stream image, which would stall the orders outbox); an empty top-level map
 * becomes a REMOVE.
 */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = compact(v);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

const conditionFailed = (e: unknown): e is ConditionalCheckFailedException =>
  (e as Error).name === 'ConditionalCheckFailedException';

/**
 * The one writer of order items (`ORDER#<id>` / `ORDER`). Intake creates an order and applies
 * the channel's later deliveries to it (conditioned on `sourceUpdatedAt` and the delivery id);
 * release writes the release state (conditioned on `releaseVersion`, which intake never writes).
 * Both rooms of the orders context reach the item only through here, so every condition that
 * guards it is in one place.
 */
export function dynamoOrderStore(
  table = tableName(),
  reader: BatchReader = batchReader(documentClient(), table),
) {
  const db = documentClient();
  return {
    async loadForIntake(orderId: string): Promise<StoredOrder | undefined> {
      const key = ordersKeys.order(orderId);
      const item = (await reader.get([key], { consistent: true })).get(itemKeyOf(key));
      return item ? (withoutKeys(item) as unknown as StoredOrder) : undefined;
    },

    async create(order: StoredOrder): ReturnType<IntakeStore['createOrder']> {
      try {
        await writeAudited(db, {
          Put: {
            TableName: table,
            Item: {
              ...ordersKeys.order(order.orderId),
              ...ordersKeys.orderIndex(order.channelId, order.externalId),
              ...ordersKeys.orderStatusIndex(order.status, order.placedAt, order.orderId),
              entity: 'Order',
              ...order,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
            // A conflict hands back the order that is there, so the caller needs no second read.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        });
        return { ok: true };
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        const existing = error.Item
          ? (withoutKeys(unmarshall(error.Item)) as unknown as StoredOrder)
          : undefined;
        return { ok: false, ...(existing ? { existing } : {}) };
      }
    },

    async applyDelivery(
      orderId: string,
      set: Partial<StoredOrder>,
      expectedSourceUpdatedAt: string,
      delivery: { id: string; outcome: OrderOutcome },
    ): Promise<'ok' | 'conflict'> {
      const names: Record<string, string> = {
        '#sourceUpdatedAt': 'sourceUpdatedAt',
        '#deliveries': 'deliveries',
        '#delivery': delivery.id,
      };
      const values: Record<string, unknown> = {
        ':expected': expectedSourceUpdatedAt,
        ':outcome': delivery.outcome,
      };
      const sets = ['#deliveries.#delivery = :outcome'];
      const removes: string[] = [];
      if (set.status) {
        // The work-queue index follows the status (its sort key, the placement time, stays).
        names['#qpk'] = 'gsi2pk';
        values[':qpk'] = ordersKeys.ordersWithStatus(set.status);
        sets.push('#qpk = :qpk');
      }
      Object.entries(set).forEach(([field, value], i) => {
        names[`#f${i}`] = field;
        if (value === undefined) removes.push(`#f${i}`);
        else {
          values[`:v${i}`] = value;
          sets.push(`#f${i} = :v${i}`);
        }
      });
      try {
        await writeAudited(db, {
          Update: {
            TableName: table,
            Key: ordersKeys.order(orderId),
            UpdateExpression: [`SET ${sets.join(', ')}`, removes.length ? `REMOVE ${removes.join(', ')}` : '']
              .filter(Boolean)
              .join(' '),
            ConditionExpression:
              '#sourceUpdatedAt = :expected AND attribute_not_exists(#deliveries.#delivery)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        });
        return 'ok';
      } catch (error) {
        if (conditionFailed(error)) return 'conflict';
        throw error;
      }
    },

    /**
     * The release state on the order item. Every write is one UpdateItem conditioned on the
     * `releaseVersion` that was read and, unless a cancellation is being recorded, on the order
     * not being cancelled — by intake (`status = cancelled`) or by ops (`cancellation`). A failed
     * condition returns the old item, so the caller learns which it was.
     */
    async loadForRelease(orderId: string): Promise<ReleaseOrder | undefined> {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: ordersKeys.order(orderId), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as unknown as ReleaseOrder) : undefined;
    },

    async saveRelease(
      order: ReleaseOrder,
      patch: Partial<ReleaseFields>,
      opts: { allowCancelled?: boolean } = {},
    ): Promise<SaveOutcome> {
      const names: Record<string, string> = { '#v': 'releaseVersion' };
      const values: Record<string, unknown> = { ':next': (order.releaseVersion ?? 0) + 1 };
      const sets = ['#v = :next'];
      const removes: string[] = [];
      if (patch.status) {
        const index = ordersKeys.orderStatusIndex(patch.status, order.placedAt, order.orderId);
        names['#qpk'] = 'gsi2pk';
        names['#qsk'] = 'gsi2sk';
        values[':qpk'] = index.gsi2pk;
        values[':qsk'] = index.gsi2sk;
        sets.push('#qpk = :qpk', '#qsk = :qsk');
      }
      Object.entries(patch).forEach(([field, raw], i) => {
        const value = compact(raw);
        names[`#f${i}`] = field;
        if (value === undefined) removes.push(`#f${i}`);
        else {
          values[`:f${i}`] = value;
          sets.push(`#f${i} = :f${i}`);
        }
      });
      const conditions = [
        'attribute_exists(pk)',
        order.releaseVersion === undefined ? 'attribute_not_exists(#v)' : '#v = :read',
      ];
      if (order.releaseVersion !== undefined) values[':read'] = order.releaseVersion;
      if (!opts.allowCancelled) {
        names['#status'] = 'status';
        names['#cancellation'] = 'cancellation';
        values[':cancelled'] = 'cancelled';
        conditions.push('#status <> :cancelled', 'attribute_not_exists(#cancellation)');
      }
      try {
        await writeAudited(
          db,
          {
            Update: {
              TableName: table,
              Key: ordersKeys.order(order.orderId),
              UpdateExpression: [
                `SET ${sets.join(', ')}`,
                removes.length ? `REMOVE ${removes.join(', ')}` : '',
              ]
                .filter(Boolean)
                .join(' '),
              ConditionExpression: conditions.join(' AND '),
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { state: patch },
        );
        return 'ok';
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        const old = error.Item ? unmarshall(error.Item) : undefined;
        const cancelled = old && (old.status === 'cancelled' || old.cancellation !== undefined);
        return cancelled && !opts.allowCancelled ? 'cancelled' : 'conflict';
      }
    },
  };
}
