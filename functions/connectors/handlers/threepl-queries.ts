import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { threePLPorts } from '../adapters/threepl-wiring.ts';
import { threePLOrderView } from '../core/threepl-view.ts';
import { listReconciliationsQuery, listThreePLOrdersQuery, locationParams } from '../schemas/threepl.ts';

const { reconciliations, orders } = threePLPorts();

/** GET /api/reconciliations?locationId=&status=: 3PL reconciliations, newest first, paged. */
const listReconciliations = httpHandler({ query: listReconciliationsQuery }, async ({ query }) => {
  const page = await reconciliations.list(
    {
      ...(query.locationId ? { locationId: query.locationId } : {}),
      ...(query.status ? { status: query.status } : {}),
    },
    query.limit ?? 50,
    query.cursor,
  );
  return ok({ items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) });
});

/**
 * GET /api/locations/{id}/3pl-orders?status=: the orders handed to the 3PL, with what it
 * reported (exceptions, holds, cancellations, the shipment), newest order id first.
 */
const listThreePLOrders = httpHandler(
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

/**
 * The 3PL read routes in one function: the stateless stack's outputs (one per function, read by
 * monitoring) are at their limit (docs/decisions.md), and both are small reads of the same items.
 */
export const handler = (event: APIGatewayProxyEventV2, context: Context) =>
  event.routeKey === 'GET /api/reconciliations'
    ? listReconciliations(event, context)
    : listThreePLOrders(event, context);
