import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, withoutKeys } from '#shared/table';
import {
  HISTORY_KEPT,
  type Reconciliation,
  type ReconciliationStore,
  type ThreePLOrder,
  type ThreePLOrderStore,
  type WebhookLog,
} from '../core/threepl-ports.ts';
import { connectorKeys } from '../keys.ts';

const conditionFailed = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error).name === 'ConditionalCheckFailedException';

/** Handled webhook ids are kept this long: well past any sender's retry schedule (days). */
const WEBHOOK_TTL_SECONDS = 30 * 24 * 3600;

/** The 3PL order parts: one item per location × order, every change conditional. */
export function dynamoThreePLOrders(db: DynamoDBDocumentClient, table: string): ThreePLOrderStore {
  const get = async (locationId: string, orderId: string) => {
    const out = await db.send(
      new GetCommand({
        TableName: table,
        Key: connectorKeys.threePLOrder(locationId, orderId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? (withoutKeys(out.Item) as unknown as ThreePLOrder) : undefined;
  };
  const update = async (
    locationId: string,
    orderId: string,
    expr: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>,
  ): Promise<boolean> => {
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: connectorKeys.threePLOrder(locationId, orderId),
          ...expr,
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  };
  return {
    get,
    async ensure(order) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...connectorKeys.threePLOrder(order.locationId, order.orderId),
              entity: 'ThreePLOrder',
              ...order,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return order;
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        return (await get(order.locationId, order.orderId)) ?? order;
      }
    },
    async list(locationId, limit, cursor) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': connectorKeys.threePLOrdersOf(locationId),
            ':prefix': connectorKeys.threePLOrderPrefix,
          },
          ExclusiveStartKey: decodeCursor(cursor),
          Limit: limit,
          ScanIndexForward: false,
        }),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as unknown as ThreePLOrder),
        ...(next ? { cursor: next } : {}),
      };
    },
    claimHandoff: (locationId, orderId, owner, nowMs, leaseMs) =>
      update(locationId, orderId, {
        UpdateExpression: 'SET leaseOwner = :me, leaseUntil = :until',
        ConditionExpression: 'handoff = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeValues: {
          ':me': owner,
          ':until': nowMs + leaseMs,
          ':now': nowMs,
          ':pending': 'pending',
        },
      }),
    async markSent(locationId, orderId, owner, providerOrderId, at) {
      await update(locationId, orderId, {
        UpdateExpression:
          'SET handoff = :sent, providerOrderId = :p, sentAt = :at, updatedAt = :at REMOVE leaseOwner, leaseUntil, lastError',
        ConditionExpression: 'leaseOwner = :me',
        ExpressionAttributeValues: { ':sent': 'sent', ':p': providerOrderId, ':at': at, ':me': owner },
      });
    },
    async releaseHandoff(locationId, orderId, owner, error) {
      await update(locationId, orderId, {
        UpdateExpression: 'SET leaseUntil = :zero, lastError = :err',
        ConditionExpression: 'leaseOwner = :me',
        ExpressionAttributeValues: { ':zero': 0, ':err': error.slice(0, 500), ':me': owner },
      });
    },
    claimShipment: (locationId, orderId, shipment, nowMs, leaseMs) =>
      update(locationId, orderId, {
        UpdateExpression:
          'SET shipment = if_not_exists(shipment, :s), #st = :shipped, shipClaimUntil = :until, updatedAt = :at',
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(shipmentPublishedAt) AND (attribute_not_exists(shipClaimUntil) OR shipClaimUntil < :now)',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: {
          ':s': shipment,
          ':shipped': 'shipped',
          ':until': nowMs + leaseMs,
          ':now': nowMs,
          ':at': new Date(nowMs).toISOString(),
        },
      }),
    async markShipmentPublished(locationId, orderId, at) {
      await update(locationId, orderId, {
        UpdateExpression: 'SET shipmentPublishedAt = :at REMOVE shipClaimUntil',
        ExpressionAttributeValues: { ':at': at },
      });
    },
    async note(locationId, orderId, entry, status) {
      // Read-modify-write under the item's updatedAt, so two notes never lose one another.
      for (let attempt = 0; attempt < 10; attempt++) {
        const current = await get(locationId, orderId);
        if (!current) return;
        if (current.history.some((h) => h.webhookId === entry.webhookId && h.type === entry.type)) return;
        const history = [...current.history, entry].slice(-HISTORY_KEPT);
        const moves = status && current.status !== 'shipped';
        const ok = await update(locationId, orderId, {
          UpdateExpression: `SET history = :h, updatedAt = :at${moves ? ', #st = :st' : ''}${entry.reason && moves ? ', reason = :r' : ''}`,
          ConditionExpression: 'updatedAt = :before',
          ...(moves ? { ExpressionAttributeNames: { '#st': 'status' } } : {}),
          ExpressionAttributeValues: {
            ':h': history,
            ':at': entry.at > current.updatedAt ? entry.at : new Date().toISOString(),
            ':before': current.updatedAt,
            ...(moves ? { ':st': status } : {}),
            ...(entry.reason && moves ? { ':r': entry.reason } : {}),
          },
        });
        if (ok) return;
      }
      throw new Error(`3PL order ${locationId}/${orderId}: too much contention to record a note`);
    },
  };
}

/** Handled webhook ids, one small item each (TTL). */
export function dynamoWebhookLog(db: DynamoDBDocumentClient, table: string): WebhookLog {
  return {
    async seen(locationId, webhookId) {
      const out = await db.send(
        new GetCommand({
          TableName: table,
          Key: connectorKeys.threePLWebhook(locationId, webhookId),
          ConsistentRead: true,
        }),
      );
      return Boolean(out.Item);
    },
    async remember(locationId, webhookId, type, at) {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...connectorKeys.threePLWebhook(locationId, webhookId),
            entity: 'ThreePLWebhook',
            locationId,
            webhookId,
            type,
            at,
            ttl: Math.floor(Date.parse(at) / 1000) + WEBHOOK_TTL_SECONDS,
          },
        }),
      );
    },
  };
}

/** Reconciliations, listed by location (gsi1) or across locations (gsi2), newest first per status. */
export function dynamoReconciliations(db: DynamoDBDocumentClient, table: string): ReconciliationStore {
  const get = async (id: string) => {
    const out = await db.send(
      new GetCommand({ TableName: table, Key: connectorKeys.reconciliation(id), ConsistentRead: true }),
    );
    return out.Item ? (withoutKeys(out.Item) as unknown as Reconciliation) : undefined;
  };
  return {
    get,
    async create(r) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...connectorKeys.reconciliation(r.reconciliationId),
              ...connectorKeys.reconciliationIndex(r),
              entity: 'Reconciliation',
              ...r,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return r;
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        return (await get(r.reconciliationId)) ?? r;
      }
    },
    async list(filter, limit, cursor) {
      const byLocation = filter.locationId !== undefined;
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: byLocation ? 'gsi1' : 'gsi2',
          KeyConditionExpression: `${byLocation ? 'gsi1pk' : 'gsi2pk'} = :pk${filter.status ? ` AND begins_with(${byLocation ? 'gsi1sk' : 'gsi2sk'}, :st)` : ''}`,
          ExpressionAttributeValues: {
            ':pk': byLocation
              ? connectorKeys.reconciliationsOf(filter.locationId as string)
              : connectorKeys.reconciliationsPartition,
            ...(filter.status ? { ':st': `${filter.status}#` } : {}),
          },
          ExclusiveStartKey: decodeCursor(cursor),
          Limit: limit,
          ScanIndexForward: false,
        }),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as unknown as Reconciliation),
        ...(next ? { cursor: next } : {}),
      };
    },
    async markApproved(id, by, note, at) {
      const r = await get(id);
      if (r?.status !== 'open') return false;
      const index = connectorKeys.reconciliationIndex({ ...r, status: 'approved' });
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.reconciliation(id),
            UpdateExpression:
              'SET #st = :approved, approvedAt = :at, approvedBy = :by, note = :note, gsi1sk = :g1, gsi2sk = :g2 REMOVE lastError',
            ConditionExpression: '#st = :open',
            ExpressionAttributeNames: { '#st': 'status' },
            ExpressionAttributeValues: {
              ':approved': 'approved',
              ':open': 'open',
              ':at': at,
              ':by': by,
              ':note': note,
              ':g1': index.gsi1sk,
              ':g2': index.gsi2sk,
            },
          }),
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },
    async recordError(id, error) {
      await db
        .send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.reconciliation(id),
            UpdateExpression: 'SET lastError = :e',
            ConditionExpression: '#st = :open',
            ExpressionAttributeNames: { '#st': 'status' },
            ExpressionAttributeValues: { ':e': error.slice(0, 500), ':open': 'open' },
          }),
        )
        .catch((e: unknown) => {
          if (!conditionFailed(e)) throw e;
        });
    },
  };
}
