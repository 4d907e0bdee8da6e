import { catalogKeys } from '#catalog/keys';
import { documentClient } from '#shared/clients';
import { tableName } from '#shared/table';
import type { SkuCatalog } from '../core/resolve-lines.ts';
import { type BatchReader, batchReader } from './batch-reader.ts';
import { positiveCache } from './ttl-cache.ts';

/** A SKU becoming a kit (or not) reaches intake within this long. */
const SKU_CACHE_MS = 15_000;
const known = positiveCache<{ isKit: boolean }>(SKU_CACHE_MS);

/**
 * Reads catalog SKU items by the catalog's own key builder (as inventory does), never writing
 * them. Point reads rather than the catalog repository's BatchGet so they share intake's one
 * coalesced round trip; SKUs found are cached briefly, SKUs not found never are.
 */
export function catalogSkus(reader: BatchReader = batchReader(documentClient(), tableName())): SkuCatalog {
  return {
    async find(codes) {
      const result = new Map<string, { isKit: boolean }>();
      const missing: string[] = [];
      for (const code of new Set(codes)) {
        const hit = known.get(code);
        if (hit) result.set(code, hit);
        else missing.push(code);
      }
      if (missing.length === 0) return result;
      const found = await reader.get(missing.map((code) => catalogKeys.sku(code)));
      for (const item of found.values()) {
        const kit = item.kit as { components?: unknown[] } | undefined;
        const info = { isKit: Boolean(kit?.components?.length) };
        known.set(String(item.sku), info);
        result.set(String(item.sku), info);
      }
      return result;
    },
  };
}
