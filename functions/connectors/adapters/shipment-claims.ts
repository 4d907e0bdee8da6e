import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ShipmentClaims } from '../core/ship-to-channel.ts';
import { connectorKeys } from '../keys.ts';

const conditionFailed = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error).name === 'ConditionalCheckFailedException';

/** One item per channel × shipment: `claimed` (with a lease) → `done` (with the channel's reference). */
export function dynamoShipmentClaims(db: DynamoDBDocumentClient, table: string): ShipmentClaims {
  const ignoreLost = async (send: () => Promise<unknown>) => {
    try {
      await send();
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  };
  return {
    async claim(channelId, shipmentId, owner, nowMs, leaseMs) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.shipment(channelId, shipmentId),
            UpdateExpression:
              'SET entity = :e, channelId = :c, shipmentId = :s, #st = :claimed, leaseOwner = :me, leaseUntil = :until',
            ConditionExpression: 'attribute_not_exists(pk) OR (#st = :claimed AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#st': 'status' },
            ExpressionAttributeValues: {
              ':e': 'ChannelShipment',
              ':c': channelId,
              ':s': shipmentId,
              ':claimed': 'claimed',
              ':me': owner,
              ':until': nowMs + leaseMs,
              ':now': nowMs,
            },
          }),
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },
    async done(channelId, shipmentId, owner, reference, at) {
      await ignoreLost(() =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.shipment(channelId, shipmentId),
            // `reference` is a DynamoDB reserved word: it goes by a name placeholder.
            UpdateExpression: 'SET #st = :done, #ref = :ref, confirmedAt = :at REMOVE leaseOwner, leaseUntil',
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeNames: { '#st': 'status', '#ref': 'reference' },
            ExpressionAttributeValues: { ':done': 'done', ':ref': reference, ':at': at, ':me': owner },
          }),
        ),
      );
    },
    async release(channelId, shipmentId, owner) {
      await ignoreLost(() =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.shipment(channelId, shipmentId),
            UpdateExpression: 'SET leaseUntil = :zero',
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeValues: { ':zero': 0, ':me': owner },
          }),
        ),
      );
    },
  };
}
