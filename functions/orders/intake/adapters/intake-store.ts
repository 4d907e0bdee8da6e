import { gunzipSync, gzipSync } from 'node:zlib';
import type { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { documentClient, LENIENT_NUMBERS } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import { type BatchReader, batchReader } from '../../adapters/batch-reader.ts';
import { dynamoOrderStore } from '../../adapters/order-store.ts';
import { ordersKeys } from '../../keys.ts';
import type {
  BodyStorage,
  ExceptionStatus,
  IntakeException,
  IntakeExceptionSummary,
  IntakeStore,
} from '../core/intake-records.ts';
import { type BodyRef, type BodyStore, s3BodyStore } from './body-store.ts';

/**
 * Raw bodies up to this size are stored on the item; larger ones in S3 with a pointer on the
 * item (`rawBodyRef`). Without a bucket (a function not granted one) the old fallback applies:
 * gzipped on the item when that fits, else cut to this size (replay: RAW_BODY_UNAVAILABLE).
 */
const INLINE_BODY_BYTES = 256 * 1024;
const MAX_GZIP_BYTES = 300 * 1024;
/** A list entry's message is cut here; the whole message comes with the single exception. */
const SUMMARY_MESSAGE_CHARS = 500;

/** Everything the list reads: no raw body (nor its gzip), so a page stays small. */
const SUMMARY_ATTRIBUTES = [
  'exceptionId',
  'source',
  'channelId',
  'channelKey',
  'deliveryId',
  'topic',
  'status',
  'code',
  'message',
  'issues',
  'receivedAt',
  'attempts',
  'lastAttemptAt',
  'resolvedAt',
  'resolution',
  'rawBodyBytes',
  'rawBodyRef',
  'rawBodyTruncated',
  'rawBodyGzip',
] as const;
// rawBodyGzip is at most 300 KB and only on items written without a bucket; reading it tells
// the storage, and DynamoDB pages stop at 1 MB anyway. It never reaches the response.

function conditionFailure(error: unknown): ConditionalCheckFailedException | undefined {
  return (error as Error).name === 'ConditionalCheckFailedException'
    ? (error as ConditionalCheckFailedException)
    : undefined;
}

function storageOf(item: Record<string, unknown>): BodyStorage {
  if (item.rawBodyRef) return 's3';
  if (item.rawBodyTruncated) return 'truncated';
  if (item.rawBodyGzip) return 'gzip';
  return 'inline';
}

/** An exception as the list shows it (see IntakeExceptionSummary). */
function toSummary(item: Record<string, unknown>): IntakeExceptionSummary {
  const {
    issues,
    rawBodyBytes,
    rawBodyRef: _ref,
    rawBodyTruncated: _cut,
    rawBodyGzip: _gz,
    rawBody: _body,
    ...rest
  } = withoutKeys(item) as Record<string, unknown>;
  const e = rest as unknown as IntakeException;
  const message = String(e.message ?? '');
  return {
    ...e,
    message: message.length > SUMMARY_MESSAGE_CHARS ? `${message.slice(0, SUMMARY_MESSAGE_CHARS)}…` : message,
    reason: `${e.code}: ${message}`.slice(0, SUMMARY_MESSAGE_CHARS + 40),
    issueCount: Array.isArray(issues) ? issues.length : 0,
    ...(typeof rawBodyBytes === 'number' ? { bodyBytes: rawBodyBytes } : {}),
    bodyStorage: storageOf(item),
  };
}

export type StoredIntakeException = IntakeException & {
  rawBodyTruncated?: boolean;
  rawBodyBytes?: number;
  bodyStorage: BodyStorage;
};

/**
 * DynamoDB adapter of the intake port, plus the queries the exception API needs. Every write
 * is one conditional PutItem or UpdateItem (the hot path is one write). Order items are written
 * through the orders context's one order store; this store owns the intake exceptions.
 */
export function dynamoIntakeStore(
  table = tableName(),
  reader: BatchReader = batchReader(documentClient(), table),
  bodies: BodyStore | undefined = s3BodyStore(),
) {
  const db = documentClient();
  const orders = dynamoOrderStore(table, reader);

  async function bodyAttributes(exceptionId: string, rawBody: string): Promise<Record<string, unknown>> {
    const bytes = Buffer.byteLength(rawBody, 'utf8');
    if (bytes <= INLINE_BODY_BYTES) return { rawBody, rawBodyBytes: bytes };
    if (bodies) return { rawBodyRef: await bodies.put(exceptionId, rawBody), rawBodyBytes: bytes };
    const gz = gzipSync(Buffer.from(rawBody, 'utf8'));
    if (gz.length <= MAX_GZIP_BYTES) return { rawBodyGzip: gz, rawBodyBytes: bytes };
    // Too large even compressed: keep what fits for forensics; replay reports RAW_BODY_UNAVAILABLE.
    return {
      rawBody: Buffer.from(rawBody, 'utf8').subarray(0, INLINE_BODY_BYTES).toString('utf8'),
      rawBodyTruncated: true,
      rawBodyBytes: bytes,
    };
  }

  /** The item as an exception; a body kept in S3 is fetched only when `withBody`. */
  async function toException(
    item: Record<string, unknown>,
    withBody: boolean,
  ): Promise<StoredIntakeException> {
    const { rawBodyGzip, rawBodyRef, ...rest } = withoutKeys(item) as Record<string, unknown>;
    let rawBody = String(rest.rawBody ?? '');
    if (rawBodyGzip instanceof Uint8Array) rawBody = gunzipSync(Buffer.from(rawBodyGzip)).toString('utf8');
    else if (rawBodyRef && withBody) {
      if (!bodies) throw new Error('The raw body is kept in S3, but this function has no bucket');
      rawBody = await bodies.get(rawBodyRef as BodyRef);
    }
    return { ...(rest as unknown as IntakeException), rawBody, bodyStorage: storageOf(item) };
  }

  const store: IntakeStore & {
    getException(exceptionId: string): Promise<StoredIntakeException | undefined>;
    listExceptions(q: {
      status: ExceptionStatus;
      channelId?: string;
      limit: number;
      cursor?: string;
    }): Promise<{ items: IntakeExceptionSummary[]; cursor?: string }>;
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
              ...(await bodyAttributes(exception.exceptionId, rawBody)),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { created: true };
      } catch (error) {
        const failure = conditionFailure(error);
        if (!failure) throw error;
        const old = failure.Item ? unmarshall(failure.Item, LENIENT_NUMBERS) : undefined;
        // The caller needs the outcome of the first attempt, not its body.
        const existing = old
          ? await toException(old, false)
          : await store.getException(exception.exceptionId);
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
      return out.Item ? toException(out.Item, true) : undefined;
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
          ...(q.channelId ? { FilterExpression: '#channelId = :channelId' } : {}),
          ProjectionExpression: SUMMARY_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: {
            ...Object.fromEntries(SUMMARY_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
            ...(q.channelId ? { '#channelId': 'channelId' } : {}),
          },
          ScanIndexForward: false,
          Limit: q.limit,
          ExclusiveStartKey: decodeCursor(q.cursor),
        }),
      );
      const cursor = encodeCursor(out.LastEvaluatedKey);
      return { items: (out.Items ?? []).map(toSummary), ...(cursor ? { cursor } : {}) };
    },
  };
  return store;
}
