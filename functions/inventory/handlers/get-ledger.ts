import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { httpHandler, ok } from '#shared/http';
import { inventoryPorts } from '../adapters/wiring.ts';
import { ledgerQuery } from '../schemas/stock.ts';

const { ledger } = inventoryPorts();

/** GET /api/inventory/{sku}/ledger: the SKU's movements, newest first unless order=asc, paged by cursor. */
export const handler = httpHandler(
  { params: z.object({ sku: skuCode }), query: ledgerQuery },
  async ({ params, query }) => {
    const page = await ledger.ofSku(params.sku, {
      ...(query.locationId ? { locationId: query.locationId } : {}),
      limit: query.limit ?? 50,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      order: query.order ?? 'desc',
    });
    return ok({ sku: params.sku, items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) });
  },
);
