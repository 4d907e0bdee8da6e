import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ENTITY, HOLD_ATTRIBUTES, holdAttributes } from '../functions/inventory/adapters/items.ts';

/** Marks a table whose position items were upgraded, so later starts skip the scan. */
const MARKER = { pk: 'UPGRADE#position-holds-set', sk: 'UPGRADE' };

/**
 * Upgrades local data written by earlier versions, once per table, before anything serves.
 * Position items kept open holds as a map `holds` (id → quantity); they now keep `holdIds` (a
 * string set) and `holdQuantities` (quantities other than 1) — see docs/decisions.md, "Open holds
 * are a string set". The version is left alone, so the stream writes no ledger movement for it.
 * Returns how many items were upgraded.
 */
export async function upgradeLocalData(db: DynamoDBDocumentClient, table: string): Promise<number> {
  const done = await db.send(new GetCommand({ TableName: table, Key: MARKER, ConsistentRead: true }));
  if (done.Item) return 0;
  let upgraded = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'entity = :e AND attribute_exists(holds)',
        ExpressionAttributeValues: { ':e': ENTITY.position },
        ProjectionExpression: 'pk, sk, holds',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const { [HOLD_ATTRIBUTES.ids]: ids, [HOLD_ATTRIBUTES.quantities]: several } = holdAttributes(
        (item.holds ?? {}) as Record<string, number>,
      );
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: `SET #quantities = :several REMOVE holds${ids ? ' ADD #ids :ids' : ''}`,
            ConditionExpression: 'attribute_exists(holds)',
            ExpressionAttributeNames: {
              '#quantities': HOLD_ATTRIBUTES.quantities,
              ...(ids ? { '#ids': HOLD_ATTRIBUTES.ids } : {}),
            },
            ExpressionAttributeValues: { ':several': several, ...(ids ? { ':ids': ids } : {}) },
          }),
        );
        upgraded++;
      } catch (error) {
        // Upgraded meanwhile (a second runtime on the same data): nothing left to do.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  await db.send(
    new PutCommand({
      TableName: table,
      Item: { ...MARKER, entity: 'Upgrade', at: new Date().toISOString() },
    }),
  );
  return upgraded;
}
