import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { transactAudited, writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { queryAll as queryAllOf } from '#shared/queries';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import type { InboundStore } from '../core/ports.ts';
import { inboundKeys } from '../keys.ts';
import type { Asn, PoLine, PurchaseOrder, Supplier } from '../schemas/inbound.ts';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;
type QueryInput = ConstructorParameters<typeof QueryCommand>[0];

/** Suppliers, POs and ASNs in the single table (keys in ../keys.ts). */
export function dynamoInboundStore(
  table = tableName(),
  db: DynamoDBDocumentClient = documentClient(),
): InboundStore {
  const transact = (items: TransactItems) => transactAudited(db, table, items);
  const queryAll = <T>(input: QueryInput) => queryAllOf<T>(db, input);
  const receivable = {
    names: { '#status': 'status' },
    values: { ':open': 'open', ':partial': 'partially_received' },
  };

  return {
    async getSupplier(supplierId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: inboundKeys.supplier(supplierId), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as unknown as Supplier) : undefined;
    },
    async putSupplier(supplier) {
      await writeAudited(
        db,
        {
          Put: {
            TableName: table,
            Item: { ...inboundKeys.supplier(supplier.supplierId), entity: 'Supplier', ...supplier },
          },
        },
        { state: supplier },
      );
    },
    listSuppliers: () =>
      queryAll<Supplier>({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': inboundKeys.suppliersPartition },
        ConsistentRead: true,
      }),

    placePurchaseOrder: (po, lines) =>
      transact([
        {
          Put: {
            TableName: table,
            Item: {
              ...inboundKeys.poHeader(po.poId),
              ...inboundKeys.poByStatus(po),
              ...inboundKeys.poBySupplier(po),
              entity: 'PurchaseOrder',
              ...po,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...lines.map((line) => ({
          Put: {
            TableName: table,
            Item: {
              ...inboundKeys.poLine(line.poId, line.sku),
              ...inboundKeys.incomingLine(line),
              entity: 'PoLine',
              ...line,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })),
      ]),

    async purchaseOrder(poId) {
      const items = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': inboundKeys.poPartition(poId) },
          ConsistentRead: true,
        }),
      );
      // Header + at most 95 small lines: one page (1 MB) always holds them.
      const all = items.Items ?? [];
      const header = all.find((i) => i.sk === inboundKeys.poHeaderSk);
      if (!header) return undefined;
      const lines = all
        .filter((i) => String(i.sk).startsWith(inboundKeys.poLinePrefix))
        .map((i) => withoutKeys(i) as unknown as PoLine)
        .sort((a, b) => a.lineNo - b.lineNo);
      return { po: withoutKeys(header) as unknown as PurchaseOrder, lines };
    },

    async listPurchaseOrders(filter, limit, cursor) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const conditions: string[] = [];
      let input: QueryInput;
      if (filter.supplierId) {
        values[':pk'] = inboundKeys.posOfSupplier(filter.supplierId);
        if (filter.status) {
          names['#status'] = 'status';
          values[':status'] = filter.status;
          conditions.push('#status = :status');
        }
        input = { TableName: table, IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk' };
      } else {
        values[':pk'] = inboundKeys.posWithStatus(filter.status ?? 'open');
        input = { TableName: table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk' };
      }
      if (filter.locationId) {
        values[':loc'] = filter.locationId;
        conditions.push('locationId = :loc');
      }
      const start = decodeCursor(cursor);
      const out = await db.send(
        new QueryCommand({
          ...input,
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          // Filters apply after Limit: a page may hold fewer POs than asked, with a cursor for more.
          ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as unknown as PurchaseOrder),
        ...(next ? { cursor: next } : {}),
      };
    },

    cancelPurchaseOrder: (po, skus, change) =>
      transact([
        {
          Update: {
            TableName: table,
            Key: inboundKeys.poHeader(po.poId),
            UpdateExpression:
              'SET #status = :cancelled, cancelReason = :reason, cancelledAt = :at, updatedAt = :at, version = version + :one, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
            ConditionExpression: 'version = :version AND #status IN (:open, :partial)',
            ExpressionAttributeNames: receivable.names,
            ExpressionAttributeValues: {
              ...receivable.values,
              ':cancelled': 'cancelled',
              ':reason': change.reason,
              ':at': change.at,
              ':one': 1,
              ':version': po.version,
              ...Object.fromEntries(
                Object.entries(inboundKeys.poByStatus({ ...po, status: 'cancelled' })).map(([k, v]) => [
                  `:${k}`,
                  v,
                ]),
              ),
            },
          },
        },
        // Out of the incoming index: a cancelled PO brings nothing more.
        ...skus.map((sku) => ({
          Update: {
            TableName: table,
            Key: inboundKeys.poLine(po.poId, sku),
            UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
            ConditionExpression: 'attribute_exists(pk)',
          },
        })),
      ]),

    putAsn: (asn, advise) =>
      transact([
        {
          ConditionCheck: {
            TableName: table,
            Key: inboundKeys.poHeader(asn.poId),
            ConditionExpression: '#status IN (:open, :partial)',
            ExpressionAttributeNames: receivable.names,
            ExpressionAttributeValues: receivable.values,
          },
        },
        {
          Put: {
            TableName: table,
            Item: { ...inboundKeys.asn(asn.asnId), ...inboundKeys.asnOfPo(asn), entity: 'Asn', ...asn },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...advise.map((a) => ({
          Update: {
            TableName: table,
            Key: inboundKeys.poLine(asn.poId, a.sku),
            UpdateExpression: 'SET advised = advised + :q',
            ConditionExpression: 'attribute_exists(pk) AND advised <= :max',
            ExpressionAttributeValues: { ':q': a.quantity, ':max': a.max },
          },
        })),
      ]),

    async getAsn(asnId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: inboundKeys.asn(asnId), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as unknown as Asn) : undefined;
    },

    async asnIdsOf(poId) {
      const items = await queryAll<{ asnId: string }>({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': inboundKeys.asnsOf(poId) },
        ProjectionExpression: 'asnId',
      });
      return items.map((i) => i.asnId);
    },

    incomingLines: (sku) =>
      queryAll<PoLine>({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': inboundKeys.incomingOf(sku) },
      }),
  };
}
