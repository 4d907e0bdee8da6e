import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import { ordersKeys } from '../../keys.ts';

/** Enough of the body to see what was attempted; never the whole of a possibly huge forgery. */
const KEPT_BODY_BYTES = 16 * 1024;
const REJECTION_TTL_SECONDS = 30 * 24 * 3600;
/** Headers worth keeping for forensics and for re-verifying after a secret fix. */
const KEPT_HEADERS = /^(x-shopify-|x-wc-webhook-|x-qm-|idempotency-key$|content-type$|user-agent$|webhook-)/;

export interface Rejection {
  rejectionId: string;
  sender: string;
  channelId: string;
  reason: string;
  receivedAt: string;
  sourceIp?: string;
  headers: Record<string, string>;
  rawBody: string;
  bodyBytes: number;
  bodyTruncated: boolean;
}

/**
 * Failed verifications: a per-channel, per-day counter (cheap to alarm on) and a record of
 * each attempt, kept 30 days. Records never become orders: a replay would have to verify the
 * signature again against the channel's current secret.
 */
export function dynamoRejectionStore(table = tableName()) {
  const db = documentClient();
  return {
    async record(
      input: Omit<Rejection, 'rejectionId' | 'rawBody' | 'bodyBytes' | 'bodyTruncated' | 'headers'> & {
        rawBody: Buffer;
        headers: Record<string, string>;
      },
    ): Promise<Rejection> {
      const rejection: Rejection = {
        rejectionId: randomUUID(),
        sender: input.sender,
        channelId: input.channelId,
        reason: input.reason,
        receivedAt: input.receivedAt,
        ...(input.sourceIp ? { sourceIp: input.sourceIp } : {}),
        headers: Object.fromEntries(
          Object.entries(input.headers).filter(([name]) => KEPT_HEADERS.test(name)),
        ),
        rawBody: input.rawBody.subarray(0, KEPT_BODY_BYTES).toString('utf8'),
        bodyBytes: input.rawBody.length,
        bodyTruncated: input.rawBody.length > KEPT_BODY_BYTES,
      };
      const day = input.receivedAt.slice(0, 10);
      await Promise.all([
        db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...ordersKeys.rejection(rejection.rejectionId),
              ...ordersKeys.rejectionIndex(rejection.receivedAt, rejection.rejectionId),
              entity: 'WebhookRejection',
              ...rejection,
              ttl: Math.floor(Date.parse(rejection.receivedAt) / 1000) + REJECTION_TTL_SECONDS,
            },
          }),
        ),
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: ordersKeys.rejectionCounter(input.channelId, day),
            UpdateExpression:
              'ADD rejected :one SET channelId = :channelId, #day = :day, lastReason = :reason, lastAt = :at',
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':channelId': input.channelId,
              ':day': day,
              ':reason': input.reason,
              ':at': input.receivedAt,
            },
          }),
        ),
      ]);
      return rejection;
    },

    async list(limit: number, cursor?: string) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': ordersKeys.rejectionsPartition },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: decodeCursor(cursor),
        }),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as unknown as Rejection),
        ...(next ? { cursor: next } : {}),
      };
    },

    /** Rejections per channel and day, newest day first (the counter items). */
    async counts(): Promise<
      { channelId: string; day: string; rejected: number; lastReason: string; lastAt: string }[]
    > {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ordersKeys.rejectionCounter('', '').pk },
          ScanIndexForward: false,
          Limit: 100,
        }),
      );
      return (out.Items ?? []).map((i) => ({
        channelId: String(i.channelId),
        day: String(i.day),
        rejected: Number(i.rejected),
        lastReason: String(i.lastReason),
        lastAt: String(i.lastAt),
      }));
    },
  };
}
