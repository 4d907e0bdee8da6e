import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { transactAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { getItem, queryAll } from '#shared/queries';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import type { TransferStore } from '../core/transfers.ts';
import { transferKeys } from '../keys.ts';
import type { Transfer, TransferInTransit } from '../schemas/transfers.ts';

/** Transfers in the single table (keys in ../keys.ts); every write carries the command's audit record. */
export function dynamoTransferStore(
  table = tableName(),
  db: DynamoDBDocumentClient = documentClient(),
): TransferStore {
  const header = (t: Transfer, condition: { expr: string; values?: Record<string, unknown> }) => ({
    Put: {
      TableName: table,
      Item: { ...transferKeys.transfer(t.transferId), ...transferKeys.byStatus(t), entity: 'Transfer', ...t },
      ConditionExpression: condition.expr,
      ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
    },
  });
  const onVersion = (v: number) => ({ expr: 'version = :v', values: { ':v': v } });

  return {
    transfer: (transferId) => getItem<Transfer>(db, table, transferKeys.transfer(transferId)),

    create: (t) => transactAudited(db, table, [header(t, { expr: 'attribute_not_exists(pk)' })]),

    ship: (t, readVersion) =>
      transactAudited(db, table, [
        header(t, onVersion(readVersion)),
        ...t.lines.map((l) => {
          const row: TransferInTransit = {
            transferId: t.transferId,
            sku: l.sku,
            fromLocationId: t.fromLocationId,
            toLocationId: t.toLocationId,
            quantity: l.quantity,
            expectedAt: t.expectedAt ?? '',
          };
          return {
            Put: {
              TableName: table,
              Item: {
                ...transferKeys.inTransit(t.transferId, l.sku),
                ...transferKeys.inTransitIndex(row),
                entity: 'TransferInTransit',
                ...row,
              },
            },
          };
        }),
      ]),

    save: (t, readVersion, opts) =>
      transactAudited(db, table, [
        header(t, onVersion(readVersion)),
        ...(opts?.endTransit
          ? t.lines.map((l) => ({
              Delete: { TableName: table, Key: transferKeys.inTransit(t.transferId, l.sku) },
            }))
          : []),
      ]),

    async list(status, limit, cursor) {
      const start = decodeCursor(cursor);
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': transferKeys.withStatus(status) },
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as unknown as Transfer),
        ...(next ? { cursor: next } : {}),
      };
    },

    inTransit: (sku) =>
      queryAll<TransferInTransit>(db, {
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': transferKeys.inTransitOf(sku) },
      }),
  };
}
