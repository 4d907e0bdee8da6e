import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

export type ItemKey = { pk: string; sk: string };
export type Item = Record<string, unknown>;

/** The lookup key of an item in a reader's result. */
export const itemKeyOf = (k: { pk: unknown; sk: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;

const MAX_KEYS = 100;

interface Batch {
  keys: ItemKey[];
  consistent: boolean;
  result: Promise<Map<string, Item>>;
}

/**
 * Coalesces the point reads adapters issue in the same tick into one BatchGetItem. Intake
 * reads the delivery record, the order, the catalog SKUs and the channel's listings at once;
 * through separate ports that would be three round trips, through this it is one. A batch is
 * strongly consistent if any of its readers asked for it.
 */
export function batchReader(db: DynamoDBDocumentClient, table: string) {
  let open: Batch | undefined;

  async function run(batch: Batch): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    const unique = [...new Map(batch.keys.map((k) => [itemKeyOf(k), k])).values()];
    for (let i = 0; i < unique.length; i += MAX_KEYS) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + MAX_KEYS);
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** attempt)));
        const out: BatchGetCommandOutput = await db.send(
          new BatchGetCommand({
            RequestItems: { [table]: { Keys: keys, ConsistentRead: batch.consistent } },
          }),
        );
        for (const item of out.Responses?.[table] ?? []) found.set(itemKeyOf(item as ItemKey), item);
        keys = out.UnprocessedKeys?.[table]?.Keys;
      }
    }
    return found;
  }

  return {
    /** The items that exist among `keys`, by `itemKeyOf`. */
    async get(keys: readonly ItemKey[], opts: { consistent?: boolean } = {}): Promise<Map<string, Item>> {
      if (keys.length === 0) return new Map();
      if (!open) {
        const batch = { keys: [], consistent: false } as unknown as Batch;
        batch.result = new Promise((resolve) =>
          queueMicrotask(() => {
            if (open === batch) open = undefined;
            resolve(run(batch));
          }),
        );
        open = batch;
      }
      const batch = open;
      batch.keys.push(...keys);
      if (opts.consistent) batch.consistent = true;
      const found = await batch.result;
      return new Map(
        keys.flatMap((k) => {
          const item = found.get(itemKeyOf(k));
          return item ? [[itemKeyOf(k), item] as const] : [];
        }),
      );
    },
  };
}

export type BatchReader = ReturnType<typeof batchReader>;
