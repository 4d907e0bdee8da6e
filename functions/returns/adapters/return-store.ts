import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { transactAudited, writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { getItem, queryAll } from '#shared/queries';
import { tableName } from '#shared/table';
import type { ReturnStore, StoredInspection } from '../core/ports.ts';
import { returnKeys } from '../keys.ts';
import type { ReturnRecord, ReturnSettings } from '../schemas/returns.ts';

const isConditionFailure = (error: unknown) =>
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';

/**
 * Returns, their inspections, each order's tally and the settings in the single table (keys in
 * ../keys.ts). Every change of a return is a whole-item write on the version read; changes of
 * several items are one transaction with the command's audit record as its last item.
 */
export function dynamoReturnStore(
  table = tableName(),
  db: DynamoDBDocumentClient = documentClient(),
): ReturnStore {
  const item = (r: ReturnRecord) => ({
    ...returnKeys.ret(r.returnId),
    ...returnKeys.byStatus(r),
    ...returnKeys.byOrder(r),
    entity: 'Return',
    ...r,
  });
  const putReturn = (before: ReturnRecord, after: ReturnRecord) => ({
    Put: {
      TableName: table,
      Item: item(after),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': before.version },
    },
  });
  const putTally = (orderId: string, tally: { skus: Record<string, number>; version: number }) => ({
    Put: {
      TableName: table,
      Item: {
        ...returnKeys.tally(orderId),
        entity: 'ReturnTally',
        orderId,
        skus: tally.skus,
        version: tally.version + 1,
      },
      ConditionExpression: tally.version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
      ...(tally.version === 0 ? {} : { ExpressionAttributeValues: { ':v': tally.version } }),
    },
  });
  const query = (index: 'gsi1' | 'gsi2', pk: string) =>
    queryAll<ReturnRecord>(db, {
      TableName: table,
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk`,
      ExpressionAttributeValues: { ':pk': pk },
    });

  return {
    get: (returnId) => getItem<ReturnRecord>(db, table, returnKeys.ret(returnId)),
    async tally(orderId) {
      const t = await getItem<{ skus: Record<string, number>; version: number }>(
        db,
        table,
        returnKeys.tally(orderId),
      );
      return t ? { skus: t.skus, version: t.version } : { skus: {}, version: 0 };
    },
    create: (r, tally) =>
      transactAudited(db, table, [
        { Put: { TableName: table, Item: item(r), ConditionExpression: 'attribute_not_exists(pk)' } },
        putTally(r.orderId, tally),
      ]),
    async update(before, after) {
      try {
        await writeAudited(db, putReturn(before, after));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    reject: (before, after, tally) =>
      transactAudited(db, table, [putReturn(before, after), putTally(before.orderId, tally)]),
    inspect: (before, after, inspection) =>
      transactAudited(db, table, [
        {
          Put: {
            TableName: table,
            Item: {
              ...returnKeys.inspection(inspection.returnId, inspection.inspectionId),
              entity: 'ReturnInspection',
              ...inspection,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        putReturn(before, after),
      ]),
    getInspection: (returnId, inspectionId) =>
      getItem<StoredInspection>(db, table, returnKeys.inspection(returnId, inspectionId)),
    async parkToken(r, phase, token) {
      // The version moves with the token, so a command that read the return before cannot write
      // over it (its write fails on the version and reads the token on its next attempt).
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: item({ ...r, tokens: { ...(r.tokens ?? {}), [phase]: token }, version: r.version + 1 }),
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': r.version },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    byOrder: (orderId) => query('gsi2', returnKeys.orderPartition(orderId)),
    byStatus: (status) => query('gsi1', returnKeys.statusPartition(status)),
    async settings() {
      return getItem<ReturnSettings>(db, table, returnKeys.settings());
    },
    async putSettings(s) {
      await writeAudited(db, {
        Put: { TableName: table, Item: { ...returnKeys.settings(), entity: 'ReturnSettings', ...s } },
      });
    },
  };
}
