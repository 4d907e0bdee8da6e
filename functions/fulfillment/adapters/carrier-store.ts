import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { tableName, withoutKeys } from '#shared/table';
import { fulfillmentKeys } from '../keys.ts';
import type { Carrier } from '../schemas/fulfillment.ts';

/** Carriers change a few times a year; a fulfillment's cutoff may lag a change by this long. */
const CARRIERS_CACHE_MS = 30_000;
let cached: { carriers: Carrier[]; at: number } | undefined;

/** Carriers and their cutoffs: a handful of items in one partition (pk CARRIERS), read together. */
export function carrierStore(opts: { db?: DynamoDBDocumentClient; table?: string } = {}) {
  const db = opts.db ?? documentClient();
  const table = opts.table ?? tableName();
  return {
    async get(carrierId: string): Promise<Carrier | undefined> {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: fulfillmentKeys.carrier(carrierId), ConsistentRead: true }),
      );
      return out.Item ? (withoutKeys(out.Item) as unknown as Carrier) : undefined;
    },

    /** Creates or replaces a carrier, with the command's audit record in the same transaction. */
    async put(carrier: Carrier): Promise<void> {
      await writeAudited(
        db,
        {
          Put: {
            TableName: table,
            Item: { ...fulfillmentKeys.carrier(carrier.carrierId), entity: 'Carrier', ...carrier },
          },
        },
        { state: carrier },
      );
      cached = undefined;
    },

    /** Every carrier in id order (consistent: a PUT is seen at once). */
    async list(): Promise<Carrier[]> {
      const carriers: Carrier[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': fulfillmentKeys.carriersPartition },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) carriers.push(withoutKeys(item) as unknown as Carrier);
        start = out.LastEvaluatedKey;
      } while (start);
      return carriers;
    },
  };
}

/**
 * Every carrier, for computing cutoffs on the hot paths (order released, wave planning): read
 * at most every 30 s per container.
 */
export async function allCarriers(): Promise<Carrier[]> {
  if (cached && Date.now() - cached.at < CARRIERS_CACHE_MS) return cached.carriers;
  const carriers = await carrierStore().list();
  cached = { carriers, at: Date.now() };
  return carriers;
}
