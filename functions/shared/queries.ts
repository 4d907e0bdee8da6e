import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { withoutKeys } from './table.ts';

/** One item by key, read consistently, without its table keys. */
export async function getItem<T>(
  db: DynamoDBDocumentClient,
  table: string,
  key: Record<string, unknown>,
): Promise<T | undefined> {
  const out = await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return out.Item ? (withoutKeys(out.Item) as unknown as T) : undefined;
}

/** Every item of a query, page after page, without their table keys. */
export async function queryAll<T>(
  db: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(out.Items ?? []).map((i) => withoutKeys(i) as unknown as T));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
