import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

type Key = { pk: string; sk: string };

const conditionFailed = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error).name === 'ConditionalCheckFailedException';

/** Runs a write whose condition only fails when the lease moved on (nothing left to do then). */
async function unlessLost(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}

/** Name placeholders for every field: some (`reference`) are DynamoDB reserved words. */
function setFields(fields: Record<string, unknown>) {
  const entries = Object.entries(fields);
  return {
    sets: entries.map((_, i) => `#f${i} = :f${i}`),
    names: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
    values: Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
  };
}

/**
 * One item per call a connector must make once (a shipment to a channel, a refund attempt): the
 * caller that takes the claim makes the call under a lease; the lease's owner settles it with the
 * outcome or gives it back. A lapsed lease (its owner died mid-call) can be taken over. Leases are
 * longer than a call's retry deadline, so a claim is never taken while its call may still land.
 */
export function leasedClaims(db: DynamoDBDocumentClient, table: string) {
  return {
    /** True when `owner` holds the claim now (new, or a lapsed lease taken over). */
    async take(key: Key, fields: Record<string, unknown>, owner: string, nowMs: number, leaseMs: number) {
      const f = setFields(fields);
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: key,
            UpdateExpression: `SET ${[...f.sets, '#st = :claimed', 'leaseOwner = :me', 'leaseUntil = :until'].join(', ')}`,
            ConditionExpression: 'attribute_not_exists(pk) OR (#st = :claimed AND leaseUntil < :now)',
            ExpressionAttributeNames: { ...f.names, '#st': 'status' },
            ExpressionAttributeValues: {
              ...f.values,
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
    /** The claim as stored (read after a lost `take`, to answer with the outcome it settled on). */
    async read(key: Key): Promise<Record<string, unknown> | undefined> {
      const { Item } = await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
      return Item;
    },
    /** The owner records the outcome (`status` and its fields) and ends the lease. */
    async settle(key: Key, owner: string, status: string, fields: Record<string, unknown>) {
      const f = setFields(fields);
      await unlessLost(() =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: key,
            UpdateExpression: `SET ${['#st = :st', ...f.sets].join(', ')} REMOVE leaseOwner, leaseUntil`,
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeNames: { ...f.names, '#st': 'status' },
            ExpressionAttributeValues: { ...f.values, ':st': status, ':me': owner },
          }),
        ),
      );
    },
    /** The owner gives the claim back at once (its call failed): the next delivery takes it. */
    async release(key: Key, owner: string) {
      await unlessLost(() =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: key,
            UpdateExpression: 'SET leaseUntil = :zero',
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeValues: { ':zero': 0, ':me': owner },
          }),
        ),
      );
    },
  };
}
