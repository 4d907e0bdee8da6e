import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { transactAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { queryAll } from '#shared/queries';
import { tableName, withoutKeys } from '#shared/table';
import type { ReceivingStore } from '../core/ports.ts';
import { inboundKeys, receivingKeys } from '../keys.ts';
import type { Receipt, ReceiptLine, ScanRecord } from '../schemas/receiving.ts';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Receipts, their counts per SKU and their scans in the single table (keys in ../keys.ts). */
export function dynamoReceivingStore(
  table = tableName(),
  db: DynamoDBDocumentClient = documentClient(),
): ReceivingStore {
  const transact = (items: TransactItems) => transactAudited(db, table, items);
  const receivable = {
    names: { '#status': 'status' },
    values: { ':open': 'open', ':partial': 'partially_received' },
  };

  return {
    async receipt(asnId) {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
            ExpressionAttributeValues: {
              ':pk': receivingKeys.partition(asnId),
              ':lo': receivingKeys.linePrefix,
              ':hi': receivingKeys.receiptSk,
            },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      const header = items.find((i) => i.sk === receivingKeys.receiptSk);
      const lines = items
        .filter((i) => String(i.sk).startsWith(receivingKeys.linePrefix))
        .map((i) => {
          const l = withoutKeys(i) as unknown as Partial<ReceiptLine> & { sku: string };
          return { sku: l.sku, received: l.received ?? 0, damaged: l.damaged ?? 0, wrong: l.wrong ?? 0 };
        });
      return {
        ...(header ? { receipt: withoutKeys(header) as unknown as Receipt } : {}),
        lines,
      };
    },

    async scan(asnId, scanId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: receivingKeys.scan(asnId, scanId), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as unknown as ScanRecord) : undefined;
    },

    unstockedScans: (asnId) =>
      queryAll<ScanRecord>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :scans)',
        FilterExpression: 'attribute_not_exists(stockedAt) AND onAsn = :yes',
        ExpressionAttributeValues: {
          ':pk': receivingKeys.partition(asnId),
          ':scans': receivingKeys.scan(asnId, '').sk,
          ':yes': true,
        },
        ConsistentRead: true,
      }),

    async markStocked(asnId, scanId, at) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: receivingKeys.scan(asnId, scanId),
          UpdateExpression: 'SET stockedAt = if_not_exists(stockedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    },

    recordScan: ({ receipt, scan, limits }) =>
      transact([
        {
          Put: {
            TableName: table,
            Item: { ...receivingKeys.scan(receipt.asnId, scan.scanId), entity: 'ReceiptScan', ...scan },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: table,
            Key: receivingKeys.receipt(receipt.asnId),
            UpdateExpression:
              'SET entity = :entity, asnId = :asnId, poId = :poId, locationId = :loc, #status = if_not_exists(#status, :open), firstScanAt = if_not_exists(firstScanAt, :at) ADD version :one',
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':entity': 'Receipt',
              ':asnId': receipt.asnId,
              ':poId': receipt.poId,
              ':loc': receipt.locationId,
              ':open': 'open',
              ':at': scan.at,
              ':one': 1,
            },
          },
        },
        {
          Update: {
            TableName: table,
            Key: receivingKeys.line(receipt.asnId, scan.sku),
            UpdateExpression: limits
              ? 'SET entity = :entity, sku = :sku ADD received :q, damaged :d'
              : 'SET entity = :entity, sku = :sku ADD wrong :q',
            ...(limits ? { ConditionExpression: 'attribute_not_exists(received) OR received <= :max' } : {}),
            ExpressionAttributeValues: {
              ':entity': 'ReceiptLine',
              ':sku': scan.sku,
              ':q': scan.quantity,
              ...(limits
                ? { ':d': scan.condition === 'damaged' ? scan.quantity : 0, ':max': limits.maxBefore }
                : {}),
            },
          },
        },
        ...(limits
          ? [
              {
                ConditionCheck: {
                  TableName: table,
                  Key: inboundKeys.poHeader(receipt.poId),
                  ConditionExpression: '#status IN (:open, :partial)',
                  ExpressionAttributeNames: receivable.names,
                  ExpressionAttributeValues: receivable.values,
                },
              },
              {
                Update: {
                  TableName: table,
                  Key: inboundKeys.poLine(receipt.poId, scan.sku),
                  UpdateExpression: 'SET received = received + :q',
                  ConditionExpression: 'attribute_exists(pk) AND received <= :max',
                  ExpressionAttributeValues: { ':q': scan.quantity, ':max': limits.poMaxBefore },
                },
              },
            ]
          : []),
      ]),

    close: ({ receipt, readVersion, po }) =>
      transact([
        {
          Put: {
            TableName: table,
            Item: { ...receivingKeys.receipt(receipt.asnId), entity: 'Receipt', ...receipt },
            ConditionExpression:
              readVersion === undefined
                ? 'attribute_not_exists(pk)'
                : '#status = :open AND version = :version',
            ...(readVersion === undefined
              ? {}
              : {
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':open': 'open', ':version': readVersion },
                }),
          },
        },
        ...(po
          ? [
              {
                Update: {
                  TableName: table,
                  Key: inboundKeys.poHeader(po.po.poId),
                  UpdateExpression:
                    'SET #status = :status, updatedAt = :at, version = version + :one, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
                  ConditionExpression: 'version = :version AND #status IN (:open, :partial)',
                  ExpressionAttributeNames: receivable.names,
                  ExpressionAttributeValues: {
                    ...receivable.values,
                    ':status': po.status,
                    ':at': receipt.closedAt,
                    ':one': 1,
                    ':version': po.po.version,
                    ...Object.fromEntries(
                      Object.entries(inboundKeys.poByStatus({ ...po.po, status: po.status })).map(
                        ([k, v]) => [`:${k}`, v],
                      ),
                    ),
                  },
                },
              },
              // A line received in full expects nothing more: out of the incoming index.
              ...po.fullSkus.map((sku) => ({
                Update: {
                  TableName: table,
                  Key: inboundKeys.poLine(po.po.poId, sku),
                  UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
                  ConditionExpression: 'attribute_exists(pk)',
                },
              })),
            ]
          : []),
      ]),
  };
}
