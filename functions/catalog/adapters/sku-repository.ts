import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { auditCancelled, auditCommitted, auditPut } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { tableName, withoutKeys } from '#shared/table';
import type { SkuRepository } from '../core/put-sku.ts';
import { BarcodeInUse } from '../errors.ts';
import { catalogKeys } from '../keys.ts';
import type { Sku } from '../schemas/sku.ts';

export function dynamoSkuRepository(
  table = tableName(),
  db: DynamoDBDocumentClient = documentClient(),
): SkuRepository {
  /** Kit → component references: written after the SKU, idempotently (an index, not the record). */
  async function syncKitRefs(next: Sku, previous: Sku | undefined) {
    const before = new Set((previous?.kit?.components ?? []).map((c) => c.sku));
    const after = new Set((next.kit?.components ?? []).map((c) => c.sku));
    const requests = [
      ...[...after]
        .filter((c) => !before.has(c))
        .map((c) => ({
          PutRequest: {
            Item: { ...catalogKeys.kitRef(c, next.sku), entity: 'KitRef', component: c, kit: next.sku },
          },
        })),
      ...[...before]
        .filter((c) => !after.has(c))
        .map((c) => ({ DeleteRequest: { Key: catalogKeys.kitRef(c, next.sku) } })),
    ];
    for (let i = 0; i < requests.length; i += 25) {
      let pending: typeof requests | undefined = requests.slice(i, i + 25);
      while (pending?.length) {
        const batch: typeof requests = pending;
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: batch } }));
        pending = out.UnprocessedItems?.[table] as typeof requests | undefined;
      }
    }
  }
  return {
    async kitsContaining(sku) {
      const kits: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': catalogKeys.sku(sku).pk,
              ':prefix': catalogKeys.kitRefPrefix,
            },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) kits.push(String(item.kit));
        start = out.LastEvaluatedKey;
      } while (start);
      return kits;
    },
    async get(sku) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: catalogKeys.sku(sku), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as Sku) : undefined;
    },
    async getMany(skus) {
      const result = new Map<string, Sku>();
      for (let i = 0; i < skus.length; i += 100) {
        let keys: Record<string, unknown>[] | undefined = skus
          .slice(i, i + 100)
          .map((s) => catalogKeys.sku(s));
        while (keys && keys.length > 0) {
          const out: BatchGetCommandOutput = await db.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }),
          );
          for (const item of out.Responses?.[table] ?? [])
            result.set(String(item.sku), withoutKeys(item) as Sku);
          keys = out.UnprocessedKeys?.[table]?.Keys;
        }
      }
      return result;
    },
    async save(next, previous) {
      const released = (previous?.barcodes ?? []).filter((b) => !next.barcodes?.includes(b));
      const claimed = (next.barcodes ?? []).filter((b) => !previous?.barcodes?.includes(b));
      // Last in the transaction: the indexes below stay those of the SKU and its barcodes.
      const audit = auditPut(table, next);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: {
                    ...catalogKeys.sku(next.sku),
                    ...catalogKeys.skuIndex(next.sku),
                    entity: 'Sku',
                    ...next,
                  },
                  // Optimistic: a concurrent writer that changed the SKU since we read it wins; we fail.
                  ConditionExpression: previous ? 'updatedAt = :prev' : 'attribute_not_exists(pk)',
                  ...(previous ? { ExpressionAttributeValues: { ':prev': previous.updatedAt } } : {}),
                },
              },
              ...claimed.map((code) => ({
                Put: {
                  TableName: table,
                  Item: { ...catalogKeys.barcode(code), entity: 'Barcode', barcode: code, sku: next.sku },
                  ConditionExpression: 'attribute_not_exists(pk) OR sku = :sku',
                  ExpressionAttributeValues: { ':sku': next.sku },
                },
              })),
              ...released.map((code) => ({
                Delete: {
                  TableName: table,
                  Key: catalogKeys.barcode(code),
                  ConditionExpression: 'attribute_not_exists(pk) OR sku = :sku',
                  ExpressionAttributeValues: { ':sku': next.sku },
                },
              })),
              ...(audit ? [audit] : []),
            ],
          }),
        );
        auditCommitted(audit);
        await syncKitRefs(next, previous);
      } catch (error) {
        const reasons = (error as TransactionCanceledException).CancellationReasons;
        if (reasons) {
          auditCancelled(audit, reasons);
          const barcodeIdx = reasons.findIndex(
            (r, idx) => idx > 0 && idx <= claimed.length && r.Code === 'ConditionalCheckFailed',
          );
          if (barcodeIdx > 0) {
            const code = claimed[barcodeIdx - 1] ?? '';
            const owner = await db.send(new GetCommand({ TableName: table, Key: catalogKeys.barcode(code) }));
            throw new BarcodeInUse(code, String(owner.Item?.sku ?? 'another SKU'));
          }
        }
        throw error;
      }
    },
  };
}
