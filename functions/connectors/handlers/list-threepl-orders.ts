import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { threePLPorts } from '../adapters/threepl-wiring.ts';
import { threePLOrderView } from '../core/threepl-view.ts';
import { listThreePLOrdersQuery, locationParams } from '../schemas/threepl.ts';

const { orders } = threePLPorts();

/**
 * GET /api/locations/{id}/3pl-orders?status=: the orders handed to the 3PL, with what it
 * reported (exceptions, holds, cancellations, the shipment), newest order id first.
 */
export const handler = httpHandler(
  { params: z.object({ id: locationParams.shape.locationId }), query: listThreePLOrdersQuery },
  async ({ params, query }) => {
    // A status filter reads on past non-matching parts (at most 5 pages), so a page may be short
    // (or longer than the limit: never more than the pages read).
    const items = [];
    let cursor = query.cursor;
    const limit = query.limit ?? 50;
    for (let page = 0; page < 5 && items.length < limit; page++) {
      const out = await orders.list(params.id, limit, cursor);
      items.push(...out.items.filter((o) => !query.status || o.status === query.status));
      cursor = out.cursor;
      if (!cursor) break;
    }
    return ok({ items: items.map(threePLOrderView), ...(cursor ? { cursor } : {}) });
  },
);
