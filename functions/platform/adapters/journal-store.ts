import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import type { JournalEntry } from '../core/journal.ts';
import { platformKeys } from '../keys.ts';

export function dynamoJournal(table = tableName()) {
  const db = documentClient();
  return {
    /** Idempotent: the same event id writes the same item. */
    async record(entry: JournalEntry): Promise<void> {
      const sort = platformKeys.journalSort(entry.occurredAt, entry.eventId);
      await db.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...platformKeys.journalEntry(entry.eventId),
            gsi1pk: platformKeys.journalByType(entry.detailType),
            gsi1sk: sort,
            ...(entry.subject ? { gsi2pk: platformKeys.journalBySubject(entry.subject), gsi2sk: sort } : {}),
            entity: 'JournalEntry',
            ...entry,
          },
        }),
      );
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
