import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { dynamoInboundStore } from '../adapters/inbound-store.ts';
import { entityId, PO_STATUSES } from '../schemas/inbound.ts';
import { poSummary } from '../views/inbound-views.ts';

const store = dynamoInboundStore();

/**
 * GET /api/purchase-orders?status=&supplierId=&locationId=: a supplier's POs (oldest first), or
 * the POs in a status (`open` unless named; earliest expected first); paged by `cursor`.
 */
export const handler = httpHandler(
  {
    query: z.object({
      status: z.enum(PO_STATUSES).optional(),
      supplierId: entityId.optional(),
      locationId: z.string().min(1).max(64).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(2000).optional(),
    }),
  },
  async ({ query }) => {
    const { limit, cursor, ...filter } = query;
    const page = await store.listPurchaseOrders(filter, limit, cursor);
    return ok({ items: page.items.map(poSummary), ...(page.cursor ? { nextCursor: page.cursor } : {}) });
  },
);
