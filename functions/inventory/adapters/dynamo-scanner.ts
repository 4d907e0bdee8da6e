import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/clients';
import { tableName } from '#shared/table';
import type { InventoryScanner } from '../core/check-invariants.ts';
import { ENTITY, toBinStock, toPosition, toReservation } from './items.ts';
import { withRetry } from './transient.ts';

/**
 * Full-table reads for the invariant checker. A Scan is right for a periodic audit of every
 * position; at a scale where one pass is too slow, split it into parallel segments
 * (`Segment`/`TotalSegments`) per checker invocation.
 */
export function dynamoScanner(opts: { db?: DynamoDBDocumentClient; table?: string } = {}): InventoryScanner {
  const db = opts.db ?? documentClient();
  const table = opts.table ?? tableName();
  async function scan(entity: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await withRetry(() =>
        db.send(
          new ScanCommand({
            TableName: table,
            FilterExpression: 'entity = :e',
            ExpressionAttributeValues: { ':e': entity },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
  return {
    async positions() {
      return (await scan(ENTITY.position)).map(toPosition);
    },
    async openReservations() {
      return (await scan(ENTITY.reservation)).map(toReservation).filter((r) => r.status === 'open');
    },
    async bins() {
      return (await scan(ENTITY.binStock)).map(toBinStock);
    },
  };
}
