import { gunzipSync, gzipSync } from 'node:zlib';
import type { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { documentClient } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import { type BatchReader, batchReader } from '../../adapters/batch-reader.ts';
import { dynamoOrderStore } from '../../adapters/order-store.ts';
import { ordersKeys } from '../../keys.ts';
import type { ExceptionStatus, IntakeException, IntakeStore } from '../core/intake-records.ts';

/** Raw bodies up to this size are stored as text; larger ones gzipped (DynamoDB items max 400 KB). */
const INLINE_BODY_BYTES = 256 * 1024;
const MAX_GZIP_BYTES = 300 * 1024;

function conditionFailure(error: unknown): ConditionalCheckFailedException | undefined {
  return (error as Error).name === 'ConditionalCheckFailedException'
    ? (error as ConditionalCheckFailedException)
    : undefined;
}

/**
 * DynamoDB adapter of the intake port, plus the queries the exception API needs. Every write
 * is one conditional PutItem or UpdateItem (the hot path is one write). Order items are written
 * through the orders context's one order store; this store owns the intake exceptions.
 */
export function dynamoIntakeStore(
  table = tableName(),
  reader: BatchReader = batchReader(documentClient(), table),
) {
  const db = documentClient();
  const orders = dynamoOrderStore(table, reader);

  function bodyAttributes(rawBody: string): Record<string, unknown> {
    const bytes = Buffer.byteLength(rawBody, 'utf8');
    if (bytes <= INLINE_BODY_BYTES) return { rawBody };
    const gz = gzipSync(Buffer.from(rawBody, 'utf8'));
    if (gz.length <= MAX_GZIP_BYTES) return { rawBodyGzip: gz, rawBodyBytes: bytes };
    // Too large even compressed: keep what fits for forensics; replay reports RAW_BODY_UNAVAILABLE.
    return {
      rawBody: Buffer.from(rawBody, 'utf8').subarray(0, INLINE_BODY_BYTES).toString('utf8'),
      rawBodyTruncated: true,
      rawBodyBytes: bytes,
    };
  }

  function toException(item: Record<string, unknown>): IntakeException & { rawBodyTruncated?: boolean } {
    const { rawBodyGzip, rawBodyBytes: _bytes, ...rest } = withoutKeys(item) as Record<string, unknown>;
    const rawBody =
      rawBodyGzip instanceof Uint8Array
        ? gunzipSync(Buffer.from(rawBodyGzip)).toString('utf8')
        : String(rest.rawBody ?? '');
    return { ...(rest as unknown as IntakeException), rawBody };
  }

  const store: IntakeStore & {
    getException(
      exceptionId: string,
    ): Promise<(IntakeException & { rawBodyTruncated?: boolean }) | undefined>;
    listExceptions(q: {
      status: ExceptionStatus;
      channelId?: string;
      limit: number;
      cursor?: string;
    }): Promise<{ items: IntakeException[]; cursor?: string }>;
  } = {
    loadOrder: (orderId) => orders.loadForIntake(orderId),
    createOrder: (order) => orders.create(order),
    updateOrder: (orderId, set, expected, delivery) => orders.applyDelivery(orderId, set, expected, delivery),

    async createException(exception) {
      const { rawBody, ...rest } = exception;
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...ordersKeys.exception(exception.exceptionId),
              ...ordersKeys.exceptionIndex('open', exception.receivedAt, exception.exceptionId),
              entity: 'IntakeException',
              ...rest,
              ...bodyAttributes(rawBody),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { created: true };
      } catch (error) {
        const failure = conditionFailure(error);
        if (!failure) throw error;
        const old = failure.Item ? unmarshall(failure.Item) : undefined;
        const existing = old ? toException(old) : await store.getException(exception.exceptionId);
        if (!existing) throw error;
        return { created: false, existing };
      }
    },

    async resolveException(exceptionId, resolution, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: ordersKeys.exception(exceptionId),
            UpdateExpression:
              'SET #status = :resolved, resolvedAt = :at, resolution = :resolution, gsi1pk = :gsi1pk, lastAttemptAt = :at ADD attempts :one',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':resolved': 'resolved',
              ':open': 'open',
              ':at': at,
              ':one': 1,
              ':gsi1pk': ordersKeys.exceptionsWithStatus('resolved'),
              ':resolution': resolution,
            },
          }),
        );
      } catch (error) {
        if (!conditionFailure(error)) throw error; // a concurrent replay resolved it first
      }
    },

    async recordReplayFailure(exceptionId, failure, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: ordersKeys.exception(exceptionId),
            UpdateExpression:
              'SET code = :code, message = :message, issues = :issues, lastAttemptAt = :at ADD attempts :one',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':code': failure.code,
              ':message': failure.message,
              ':issues': failure.issues,
              ':at': at,
              ':one': 1,
              ':open': 'open',
            },
          }),
        );
      } catch (error) {
        if (!conditionFailure(error)) throw error; // resolved meanwhile by a concurrent replay
      }
    },

    async getException(exceptionId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: ordersKeys.exception(exceptionId), ConsistentRead: true }),
      );
      return out.Item ? toException(out.Item) : undefined;
    },

    async listExceptions(q) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: {
            ':pk': ordersKeys.exceptionsWithStatus(q.status),
            ...(q.channelId ? { ':channelId': q.channelId } : {}),
          },
          ...(q.channelId ? { FilterExpression: 'channelId = :channelId' } : {}),
          ScanIndexForward: false,
          Limit: q.limit,
          ExclusiveStartKey: decodeCursor(q.cursor),
        }),
      );
      const cursor = encodeCursor(out.LastEvaluatedKey);
      return { items: (out.Items ?? []).map(toException), ...(cursor ? { cursor } : {}) };
    },
  };
  return store;
}
