import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { catalogPorts } from '../adapters/wiring.ts';

const { search } = catalogPorts();

const query = z.object({
  barcode: z.string().min(1).max(64).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});

/** GET /api/skus?barcode=… (exact, as scanned), ?q=… (SKU prefix or name), or the catalog, paged. */
export const handler = httpHandler({ query }, async ({ query: input }) => {
  if (input.barcode) {
    const sku = await search.byBarcode(input.barcode);
    return ok({ items: sku ? [sku] : [] });
  }
  if (input.q) return ok(await search.byText(input.q, input.limit, input.cursor));
  return ok(await search.list(input.limit, input.cursor));
});
