import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RefundClaims, RefundOutcome } from '../core/post-refund.ts';
import { connectorKeys } from '../keys.ts';

const conditionFailed = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error).name === 'ConditionalCheckFailedException';

/** One item per channel × refund attempt: `claimed` (with a lease) → `issued` | `failed` (with the outcome). */
export function dynamoRefundClaims(db: DynamoDBDocumentClient, table: string): RefundClaims {
  const ignoreLost = async (send: () => Promise<unknown>) => {
    try {
      await send();
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  };
  return {
    async claim(channelId, refundKey, owner, nowMs, leaseMs) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.refund(channelId, refundKey),
            UpdateExpression:
              'SET entity = :e, channelId = :c, refundKey = :k, #st = :claimed, leaseOwner = :me, leaseUntil = :until',
            ConditionExpression: 'attribute_not_exists(pk) OR (#st = :claimed AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#st': 'status' },
            ExpressionAttributeValues: {
              ':e': 'ChannelRefund',
              ':c': channelId,
              ':k': refundKey,
              ':claimed': 'claimed',
              ':me': owner,
              ':until': nowMs + leaseMs,
              ':now': nowMs,
            },
          }),
        );
        return { held: true };
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
      const { Item } = await db.send(
        new GetCommand({
          TableName: table,
          Key: connectorKeys.refund(channelId, refundKey),
          ConsistentRead: true,
        }),
      );
      if (Item?.status === 'issued')
        return { held: false, outcome: { status: 'issued', reference: Item.reference } };
      if (Item?.status === 'failed')
        return { held: false, outcome: { status: 'failed', message: Item.message } };
      return { held: false };
    },
    async settle(channelId, refundKey, owner, outcome: RefundOutcome, at) {
      await ignoreLost(() =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.refund(channelId, refundKey),
            // `reference` is a DynamoDB reserved word: both outcome fields go by name placeholders.
            UpdateExpression: 'SET #st = :st, #field = :v, settledAt = :at REMOVE leaseOwner, leaseUntil',
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeNames: {
              '#st': 'status',
              '#field': outcome.status === 'issued' ? 'reference' : 'message',
            },
            ExpressionAttributeValues: {
              ':st': outcome.status,
              ':v': outcome.status === 'issued' ? outcome.reference : outcome.message,
              ':at': at,
              ':me': owner,
            },
          }),
        ),
      );
    },
    async release(channelId, refundKey, owner) {
      await ignoreLost(() =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: connectorKeys.refund(channelId, refundKey),
            UpdateExpression: 'SET leaseUntil = :zero',
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeValues: { ':zero': 0, ':me': owner },
          }),
        ),
      );
    },
  };
}
