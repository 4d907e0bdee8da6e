import { type CatalogReader, catalogReader } from '#catalog/api';
import { positiveCache } from '#shared/positive-cache';
import type { SkuCatalog } from '../core/resolve-lines.ts';

/** A SKU becoming a kit (or not) reaches intake within this long. */
const SKU_CACHE_MS = 15_000;
const known = positiveCache<{ isKit: boolean }>(SKU_CACHE_MS);

/**
 * Intake's view of the catalog, through the catalog's published reader (never its items).
 * SKUs found are cached briefly, SKUs not found never are: a SKU created a moment ago is seen
 * on the next delivery, and a storefront sending known SKUs costs no read once they are cached.
 */
export function catalogSkus(reader: CatalogReader = catalogReader()): SkuCatalog {
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
      for (const [code, sku] of await reader.getMany(missing)) {
        const info = { isKit: Boolean(sku.kit?.components.length) };
        known.set(code, info);
        result.set(code, info);
      }
      return result;
    },
  };
}
