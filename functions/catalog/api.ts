/**
 * The catalog's front door: what other contexts, the deployer and the console may use. Nothing
 * else under `functions/catalog/` is imported from outside it (dependency-cruiser checks).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoSkuRepository } from './adapters/sku-repository.ts';
import { dynamoSkuSearch } from './adapters/sku-search.ts';
import type { Sku } from './schemas/sku.ts';

export { SkuUpserted } from './events/sku-upserted.ts';
export { type Sku, skuCode } from './schemas/sku.ts';

/** Read-only view of SKU definitions (kit components, substitutes) for other contexts. */
export interface CatalogReader {
  /** Found SKUs by code; codes the catalog does not know are absent from the map. */
  getMany(skus: readonly string[]): Promise<Map<string, Sku>>;
  /** Kits that list this SKU as a component. */
  kitsContaining(sku: string): Promise<string[]>;
}

/**
 * The catalog's published read function. Other contexts call this rather than reading the
 * catalog's items, so its keys and item layout stay its own. `db` and `table` are for tests.
 */
export function catalogReader(opts: { db?: DynamoDBDocumentClient; table?: string } = {}): CatalogReader {
  const repository = dynamoSkuRepository(opts.table, opts.db);
  return {
    getMany: (skus) => repository.getMany(skus),
    kitsContaining: (sku) => repository.kitsContaining(sku),
  };
}

/**
 * The catalog in SKU order, one page per call with an opaque cursor: inventory's stock browse
 * walks it so every SKU (kits and never-stocked ones included) has a row. `table` is for tests.
 */
export const listSkus = (limit: number, cursor?: string, table?: string) =>
  dynamoSkuSearch(table).list(limit, cursor);
