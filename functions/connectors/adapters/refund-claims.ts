import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RefundClaims, RefundOutcome } from '../core/post-refund.ts';
import { connectorKeys } from '../keys.ts';
import { leasedClaims } from './leased-claims.ts';

/** One item per channel × refund attempt: `claimed` (with a lease) → `issued` | `failed` (with the outcome). */
export function dynamoRefundClaims(db: DynamoDBDocumentClient, table: string): RefundClaims {
  const claims = leasedClaims(db, table);
  return {
    async claim(channelId, refundKey, owner, nowMs, leaseMs) {
      const key = connectorKeys.refund(channelId, refundKey);
      const fields = { entity: 'ChannelRefund', channelId, refundKey };
      if (await claims.take(key, fields, owner, nowMs, leaseMs)) return { held: true };
      const item = await claims.read(key);
      if (item?.status === 'issued')
        return { held: false, outcome: { status: 'issued', reference: item.reference as string } };
      if (item?.status === 'failed')
        return { held: false, outcome: { status: 'failed', message: item.message as string } };
      return { held: false };
    },
    settle: (channelId, refundKey, owner, outcome: RefundOutcome, at) =>
      claims.settle(
        connectorKeys.refund(channelId, refundKey),
        owner,
        outcome.status,
        outcome.status === 'issued'
          ? { reference: outcome.reference, settledAt: at }
          : { message: outcome.message, settledAt: at },
      ),
    release: (channelId, refundKey, owner) =>
      claims.release(connectorKeys.refund(channelId, refundKey), owner),
  };
}
