import { locationOf, routableStock } from '#inventory/api';
import type { NodeInfo, NodeType, StockSnapshot } from '../schemas.ts';

/** Location config changes rarely; routing reads it on every allocation. */
const NODE_CACHE_MS = 10_000;
const nodeCache = new Map<string, { at: number; node: NodeInfo | undefined }>();

/**
 * Read-only views of inventory for routing: nodes (locations) and stock per SKU × location.
 * They go through inventory's published functions (`routableStock`, `locationOf`), never its items,
 * and never write. Reservations go through inventory's reservation task (see
 * inventory-reservations.ts).
 */
export function inventoryReads() {
  return {
    nodes: {
      async get(locationIds: readonly string[]): Promise<Map<string, NodeInfo>> {
        const out = new Map<string, NodeInfo>();
        await Promise.all(
          locationIds.map(async (id) => {
            const hit = nodeCache.get(id);
            let node = hit && Date.now() - hit.at < NODE_CACHE_MS ? hit.node : undefined;
            if (!hit || Date.now() - hit.at >= NODE_CACHE_MS) {
              const location = await locationOf(id);
              node = location
                ? {
                    locationId: id,
                    name: location.name,
                    type: location.type as NodeType,
                    ...(location.address?.country ? { country: location.address.country } : {}),
                    ...(location.address?.region ? { region: location.address.region } : {}),
                  }
                : undefined;
              nodeCache.set(id, { at: Date.now(), node });
            }
            if (node) out.set(id, node);
          }),
        );
        return out;
      },
    },
    stock: {
      /** Kits count as the kits their components can build (inventory's routable stock). */
      snapshot: (skus: readonly string[]): Promise<StockSnapshot> => routableStock(skus),
    },
  };
}
