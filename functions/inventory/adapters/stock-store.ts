import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { catalogKeys } from '#catalog/keys';
import { documentClient } from '#shared/clients';
import { tableName, withoutKeys } from '#shared/table';
import type { AdjustmentStore } from '../core/adjust-stock.ts';
import { KitHasNoStock, PositionChanged, UnknownLocation, UnknownSku } from '../errors.ts';
import { inventoryKeys } from '../keys.ts';
import type { Location, Movement, StockPosition } from '../schemas/stock.ts';

/** DynamoDB adapter for positions, movements and locations. */
export function dynamoStockStore(table = tableName()) {
  const db = documentClient();

  const store: AdjustmentStore & {
    listPositions(sku: string): Promise<StockPosition[]>;
    getLocation(id: string): Promise<Location | undefined>;
    putLocation(location: Location): Promise<void>;
  } = {
    async getPosition(sku, locationId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: inventoryKeys.position(sku, locationId), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as StockPosition) : undefined;
    },

    async getMovement(movementId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: inventoryKeys.movement(movementId), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as Movement) : undefined;
    },

    async commitMovement(movement, next, expectedVersion) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: {
                    ...inventoryKeys.movement(movement.movementId),
                    ...inventoryKeys.movementIndex(movement),
                    entity: 'Movement',
                    ...movement,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: {
                    ...inventoryKeys.position(next.sku, next.locationId),
                    ...inventoryKeys.positionIndex(next.sku, next.locationId),
                    entity: 'StockPosition',
                    ...next,
                  },
                  ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
                  ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
                },
              },
              {
                ConditionCheck: {
                  TableName: table,
                  Key: catalogKeys.sku(movement.sku),
                  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(kit)',
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
              {
                ConditionCheck: {
                  TableName: table,
                  Key: inventoryKeys.location(movement.locationId),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
            ],
          }),
        );
        return 'committed';
      } catch (error) {
        const reasons = (error as TransactionCanceledException).CancellationReasons;
        if (!reasons) throw error;
        const failed = (idx: number) => reasons[idx]?.Code === 'ConditionalCheckFailed';
        if (failed(2)) {
          throw reasons[2]?.Item ? new KitHasNoStock(movement.sku) : new UnknownSku(movement.sku);
        }
        if (failed(3)) throw new UnknownLocation(movement.locationId);
        if (failed(0)) return 'duplicate';
        if (failed(1) || reasons.some((r) => r.Code === 'TransactionConflict')) throw new PositionChanged();
        throw error;
      }
    },

    async listPositions(sku) {
      const items: StockPosition[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': inventoryKeys.positionsOf(sku).pk },
            ExclusiveStartKey: start,
            ConsistentRead: true,
          }),
        );
        for (const item of out.Items ?? []) items.push(withoutKeys(item) as StockPosition);
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    },

    async getLocation(id) {
      const out = await db.send(new GetCommand({ TableName: table, Key: inventoryKeys.location(id) }));
      return out.Item ? (withoutKeys(out.Item) as Location) : undefined;
    },

    async putLocation(location) {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...inventoryKeys.location(location.locationId),
            ...inventoryKeys.locationIndex(location.locationId),
            entity: 'Location',
            ...location,
          },
        }),
      );
    },
  };
  return store;
}
