import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import { ordersKeys } from '../../keys.ts';

/** Enough of the body to see what was attempted; never the whole of a possibly huge forgery. */
const KEPT_BODY_BYTES = 16 * 1024;
const REJECTION_TTL_SECONDS = 30 * 24 * 3600;
/** Day counters outlive the records: long enough for trends and alarms, then cleaned up. */
const COUNTER_TTL_SECONDS = 400 * 24 * 3600;
/**
 * Full records kept per channel per minute; beyond it only the counter moves. A flood of forged
 * calls then stores at most 5 × 1,440 records (≤ 16 KB each) per channel per day, kept 30 days.
 */
export const REJECTION_SAMPLES_PER_MINUTE = 5;
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
 * Failed verifications of REAL channels (the caller drops made-up channel ids, which write
 * nothing): a per-channel, per-day counter, exact (cheap to alarm on), and a sample of full
 * records — at most REJECTION_SAMPLES_PER_MINUTE per channel and minute — kept 30 days. Records
 * never become orders: a replay would have to verify the signature again against the channel's
 * current secret.
 */
export function dynamoRejectionStore(table = tableName()) {
  const db = documentClient();

  /**
   * Counts one rejection on the channel's day counter and says whether it is within the minute's
   * sample. The counter carries its sampling window (`sampleMinute`, `sampled`): the first
   * rejection of a new minute resets it in the same write (condition: another minute), the rest
   * add to it and read the new count back. Either way `rejected` grows by exactly one.
   */
  async function count(channelId: string, reason: string, at: string): Promise<boolean> {
    const day = at.slice(0, 10);
    const minute = at.slice(0, 16);
    const Key = ordersKeys.rejectionCounter(channelId, day);
    const common = { ':one': 1, ':reason': reason, ':at': at };
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key,
          UpdateExpression:
            'ADD rejected :one SET channelId = :channelId, #day = :day, lastReason = :reason, lastAt = :at, sampleMinute = :minute, sampled = :one, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(sampleMinute) OR sampleMinute <> :minute',
          ExpressionAttributeNames: { '#day': 'day', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ...common,
            ':channelId': channelId,
            ':day': day,
            ':minute': minute,
            ':ttl': Math.floor(Date.parse(at) / 1000) + COUNTER_TTL_SECONDS,
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
    const out = await db.send(
      new UpdateCommand({
        TableName: table,
        Key,
        UpdateExpression: 'ADD rejected :one, sampled :one SET lastReason = :reason, lastAt = :at',
        ExpressionAttributeValues: common,
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.sampled ?? Number.POSITIVE_INFINITY) <= REJECTION_SAMPLES_PER_MINUTE;
  }

  return {
    /** Counts the rejection; returns the record when it was kept (within the sample), else undefined. */
    async record(
      input: Omit<Rejection, 'rejectionId' | 'rawBody' | 'bodyBytes' | 'bodyTruncated' | 'headers'> & {
        rawBody: Buffer;
        headers: Record<string, string>;
      },
    ): Promise<Rejection | undefined> {
      const sampled = await count(input.channelId, input.reason, input.receivedAt);
      if (!sampled) return undefined;
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
      await db.send(
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
      );
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
