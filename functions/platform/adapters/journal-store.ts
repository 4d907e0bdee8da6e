import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import type { JournalEntry } from '../core/journal.ts';
import { platformKeys } from '../keys.ts';

/** BatchWriteItem takes at most 25 requests per call. */
const WRITES_PER_CALL = 25;

export interface JournalWriteRetry {
  /** Calls per chunk, the first included, before unprocessed items are given back. */
  attempts: number;
  /** Wait before retry `n` (1-based) of the items DynamoDB left unprocessed. */
  backoffMs(retry: number): number;
}

/** Exponential back-off with full jitter, as AWS advises for UnprocessedItems: ≤ 1.55 s in all. */
const DEFAULT_RETRY: JournalWriteRetry = {
  attempts: 6,
  backoffMs: (retry) => Math.random() * Math.min(1000, 50 * 2 ** (retry - 1)),
};

function journalItem(entry: JournalEntry) {
  const sort = platformKeys.journalSort(entry.occurredAt, entry.eventId);
  return {
    ...platformKeys.journalEntry(entry.eventId),
    gsi1pk: platformKeys.journalByType(entry.detailType),
    gsi1sk: sort,
    ...(entry.subject ? { gsi2pk: platformKeys.journalBySubject(entry.subject), gsi2sk: sort } : {}),
    entity: 'JournalEntry',
    ...entry,
  };
}

export function dynamoJournal(
  table = tableName(),
  db: DynamoDBDocumentClient = documentClient(),
  retry: JournalWriteRetry = DEFAULT_RETRY,
) {
  /** One BatchWriteItem of ≤ 25 puts, retrying what DynamoDB leaves unprocessed; answers what is left. */
  async function writeChunk(entries: readonly JournalEntry[]): Promise<string[]> {
    let pending = entries.map((entry) => ({ PutRequest: { Item: journalItem(entry) } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, retry.backoffMs(attempt - 1)));
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []).flatMap((request) =>
        request.PutRequest?.Item
          ? [{ PutRequest: { Item: request.PutRequest.Item as ReturnType<typeof journalItem> } }]
          : [],
      );
      if (attempt >= retry.attempts) break;
    }
    return pending.map((request) => request.PutRequest.Item.eventId);
  }

  return {
    /** Idempotent: the same event id writes the same item. */
    async record(entry: JournalEntry): Promise<void> {
      await db.send(new PutCommand({ TableName: table, Item: journalItem(entry) }));
    },

    /**
     * Writes many entries with BatchWriteItem, 25 per call, the calls in parallel. Idempotent like
     * `record`; an event id given twice is written once (one call may not name an item twice).
     * Answers the event ids still unwritten after the retries, for the caller to retry later.
     */
    async recordAll(entries: readonly JournalEntry[]): Promise<string[]> {
      const unique = [...new Map(entries.map((entry) => [entry.eventId, entry])).values()];
      const chunks: JournalEntry[][] = [];
      for (let i = 0; i < unique.length; i += WRITES_PER_CALL)
        chunks.push(unique.slice(i, i + WRITES_PER_CALL));
      return (await Promise.all(chunks.map(writeChunk))).flat();
    },

    async list(filter: { detailType?: string; subject?: string; limit: number; cursor?: string }) {
      const [index, pk] = filter.subject
        ? ['gsi2', platformKeys.journalBySubject(filter.subject)]
        : ['gsi1', platformKeys.journalByType(filter.detailType ?? '')];
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: index,
          KeyConditionExpression: `${index}pk = :pk`,
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: false,
          Limit: filter.limit,
          ExclusiveStartKey: decodeCursor(filter.cursor),
        }),
      );
      return {
        items: (out.Items ?? []).map((i) => withoutKeys(i) as JournalEntry),
        nextCursor: encodeCursor(out.LastEvaluatedKey),
      };
    },
  };
}
