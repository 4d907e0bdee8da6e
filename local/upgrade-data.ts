import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  ENTITY,
  LEGACY_HOLD_ATTRIBUTES,
  reservationItem,
  toMovement,
} from '../functions/inventory/adapters/items.ts';
import { singlePositionReservation } from '../functions/inventory/core/reservation-records.ts';
import { inventoryKeys } from '../functions/inventory/keys.ts';
import { RECEIVING_BIN } from '../functions/inventory/schemas/bins.ts';
import type { Movement } from '../functions/inventory/schemas/stock.ts';

/** Marks a table whose position items no longer carry open holds, so later starts skip the scan. */
const MARKER = { pk: 'UPGRADE#position-holds-records', sk: 'UPGRADE' };
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
 * Position items kept their open holds: first a map `holds` (id → quantity), then a string set
 * `holdIds` plus `holdQuantities`. Open reservations are now only their records (docs/decisions.md,
 * 2026-12-05), so the attributes go. Every hold should have its open record already (the
 * transaction or the stream wrote it); one that has none while its reserve movement is in the
 * ledger gets the record the stream would have written; one without either is still in the
 * stream's backlog, which writes it. The version is left alone: no ledger movement. Idempotent:
 * a second run finds nothing to do.
 */
async function upgradeHolds(db: DynamoDBDocumentClient, table: string): Promise<number> {
  const done = await db.send(new GetCommand({ TableName: table, Key: MARKER, ConsistentRead: true }));
  if (done.Item) return 0;
  const names = Object.fromEntries(LEGACY_HOLD_ATTRIBUTES.map((a, i) => [`#h${i}`, a]));
  const anyHolds = Object.keys(names)
    .map((n) => `attribute_exists(${n})`)
    .join(' OR ');
  let upgraded = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: `entity = :e AND (${anyHolds})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':e': ENTITY.position },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const key = {
        sku: String(item.sku),
        locationId: String(item.locationId),
        shard: Number(item.shard ?? 0),
      };
      for (const [reservationId, quantity] of Object.entries(legacyHolds(item))) {
        await ensureRecord(db, table, key, reservationId, quantity);
      }
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: `REMOVE ${Object.keys(names).join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
          }),
        );
        upgraded++;
      } catch (error) {
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

/** The holds an item written by an earlier version carries, in either of its encodings. */
function legacyHolds(item: Record<string, unknown>): Record<string, number> {
  const map = (item.holds ?? {}) as Record<string, number>;
  const several = (item.holdQuantities ?? {}) as Record<string, number>;
  const ids = [...((item.holdIds as Iterable<string> | undefined) ?? [])];
  return {
    ...Object.fromEntries(Object.entries(map).map(([id, q]) => [id, Number(q)])),
    ...Object.fromEntries(ids.map((id) => [id, Number(several[id] ?? 1)])),
  };
}

/** Writes the record of a single-position hold whose reserve movement the stream ledgered but whose record is missing. */
async function ensureRecord(
  db: DynamoDBDocumentClient,
  table: string,
  key: { sku: string; locationId: string; shard: number },
  reservationId: string,
  quantity: number,
): Promise<void> {
  const existing = await db.send(
    new GetCommand({ TableName: table, Key: inventoryKeys.reservation(reservationId), ConsistentRead: true }),
  );
  if (existing.Item) return;
  let reserved: Movement | undefined;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        FilterExpression: '#rid = :rid AND #kind = :reserve',
        ExpressionAttributeNames: { '#rid': 'reservationId', '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':pk': inventoryKeys.itemLedger(key),
          ':rid': reservationId,
          ':reserve': 'reserve',
        },
        ExclusiveStartKey: start,
      }),
    );
    reserved ??= page.Items?.map(toMovement).sort((a, b) => a.version - b.version)[0];
    start = page.LastEvaluatedKey;
  } while (start && !reserved);
  if (!reserved) return; // still in the stream's backlog: the stream writes it
  const record = singlePositionReservation({
    reservationId,
    lines: [{ sku: key.sku, locationId: key.locationId, quantity }],
    key,
    version: reserved.version,
    at: reserved.occurredAt,
    actor: reserved.actor,
    correlationId: reserved.correlationId,
  });
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: reservationItem(record),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
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
