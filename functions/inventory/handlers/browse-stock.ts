import { listSkus } from '#catalog/api';
import { httpHandler, ok } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { browseStock } from '../core/browse.ts';
import { browseQuery, DEFAULT_LOW_AT } from '../schemas/browse.ts';

const { positions } = inventoryPorts();

/**
 * GET /api/inventory: every catalog SKU with its stock per location (kits: what their components
 * build), in SKU order, optionally at one location and filtered to low, zero or negative stock.
 */
export const handler = httpHandler({ query: browseQuery }, async ({ query }) => {
  const lowAt = query.lowAt ?? DEFAULT_LOW_AT;
  const page = await browseStock(
    { positions, catalogPage: (limit, cursor) => listSkus(limit, cursor) },
    {
      ...(query.locationId ? { locationId: query.locationId } : {}),
      ...(query.filter ? { filter: query.filter } : {}),
      lowAt,
      limit: query.limit ?? 50,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    },
  );
  return ok({ items: page.items, lowAt, ...(page.cursor ? { cursor: page.cursor } : {}) });
});
