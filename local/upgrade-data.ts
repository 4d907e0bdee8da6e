import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ENTITY, HOLD_ATTRIBUTES, holdAttributes } from '../functions/inventory/adapters/items.ts';
import { inventoryKeys } from '../functions/inventory/keys.ts';
import { RECEIVING_BIN } from '../functions/inventory/schemas/bins.ts';

/** Marks a table whose position items were upgraded, so later starts skip the scan. */
const MARKER = { pk: 'UPGRADE#position-holds-set', sk: 'UPGRADE' };
/** Marks a table whose stock was put into bins. */
const BINS_MARKER = { pk: 'UPGRADE#position-bins', sk: 'UPGRADE' };

/**
 * Upgrades local data written by earlier versions, once per table (a marker item each), before
 * anything serves. Returns how many items were upgraded.
 */
export async function upgradeLocalData(db: DynamoDBDocumentClient, table: string): Promise<number> {
  return (await upgradeHolds(db, table)) + (await upgradeBins(db, table));
}

/**
 * Position items kept open holds as a map `holds` (id → quantity); they now keep `holdIds` (a
 * string set) and `holdQuantities` (quantities other than 1) — see docs/decisions.md, "Open holds
 * are a string set". The version is left alone, so the stream writes no ledger movement for it.
 */
async function upgradeHolds(db: DynamoDBDocumentClient, table: string): Promise<number> {
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

/**
 * Stock written before bins existed has onHand but no bin items: per SKU × location, the onHand
 * summed over the shards goes into RECEIVING, so Σ bins = onHand holds from the first start on.
 * Positions already in bins are left alone; the position items are not touched (no version, no
 * ledger movement: bins are not buckets).
 */
export async function upgradeBins(db: DynamoDBDocumentClient, table: string): Promise<number> {
  const done = await db.send(new GetCommand({ TableName: table, Key: BINS_MARKER, ConsistentRead: true }));
  if (done.Item) return 0;
  const onHand = new Map<string, { sku: string; locationId: string; units: number }>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'entity = :e AND onHand > :zero',
        ExpressionAttributeValues: { ':e': ENTITY.position, ':zero': 0 },
        ProjectionExpression: 'sku, locationId, onHand',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const id = `${item.sku}\u0000${item.locationId}`;
      const entry = onHand.get(id) ?? {
        sku: String(item.sku),
        locationId: String(item.locationId),
        units: 0,
      };
      entry.units += Number(item.onHand);
      onHand.set(id, entry);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  let upgraded = 0;
  for (const { sku, locationId, units } of onHand.values()) {
    const inBins = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': inventoryKeys.binStockOf(sku, locationId) },
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    if (inBins.Items?.length) continue;
    try {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...inventoryKeys.binStock(sku, locationId, RECEIVING_BIN),
            ...inventoryKeys.binStockIndex(sku, locationId, RECEIVING_BIN),
            entity: ENTITY.binStock,
            sku,
            locationId,
            binId: RECEIVING_BIN,
            quantity: units,
            updatedAt: new Date().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      upgraded++;
    } catch (error) {
      // Upgraded meanwhile (a second runtime on the same data): nothing left to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  await db.send(
    new PutCommand({
      TableName: table,
      Item: { ...BINS_MARKER, entity: 'Upgrade', at: new Date().toISOString() },
    }),
  );
  return upgraded;
}
