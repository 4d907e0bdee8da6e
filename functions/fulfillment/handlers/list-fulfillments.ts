import { z } from 'zod';
import { ValidationFailed } from '#shared/errors';
import { httpHandler, ok } from '#shared/http';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { FULFILLMENT_STATUSES } from '../schemas/fulfillment.ts';
import { fulfillmentView } from '../views/fulfillment-views.ts';

const ports = fulfillmentPorts();

/** GET /api/fulfillments?orderId= | ?locationId=&status=: an order's fulfillments, or a location's queue. */
export const handler = httpHandler(
  {
    query: z.object({
      orderId: z.string().min(1).max(128).optional(),
      locationId: z.string().min(1).max(64).optional(),
      status: z.enum(FULFILLMENT_STATUSES).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(2000).optional(),
    }),
  },
  async ({ query }) => {
    if (query.orderId) {
      return ok({ items: (await ports.store.ofOrder(query.orderId)).map(fulfillmentView) });
    }
    if (!query.locationId) {
      throw new ValidationFailed('orderId, or locationId (with an optional status), is required', [
        { field: 'query.locationId', message: 'required without orderId' },
      ]);
    }
    if (query.status) {
      const page = await ports.store.byStatus(query.locationId, query.status, query.limit, query.cursor);
      return ok({
        items: page.items.map(fulfillmentView),
        ...(page.cursor ? { nextCursor: page.cursor } : {}),
      });
    }
    // Every status: one page each, in the statuses' order (no cursor across them).
    const pages = await Promise.all(
      FULFILLMENT_STATUSES.map((s) => ports.store.byStatus(query.locationId as string, s, query.limit)),
    );
    return ok({
      items: pages
        .flatMap((p) => p.items)
        .slice(0, query.limit)
        .map(fulfillmentView),
    });
  },
);
