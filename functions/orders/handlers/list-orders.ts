import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { orderPorts } from '../adapters/wiring.ts';
import { orderView } from '../core/order-view.ts';
import { channelId } from '../intake/schemas/channel.ts';

const { queries: orders } = orderPorts();

const query = z.object({
  channelId,
  externalId: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

/** GET /api/orders?channelId=&externalId= → { items }: one order by its channel id, or a channel's orders. */
export const handler = httpHandler({ query }, async ({ query: q }) => {
  if (q.externalId) {
    const order = await orders.byExternalId(q.channelId, q.externalId);
    return ok({ items: order ? [orderView(order)] : [] });
  }
  const page = await orders.listByChannel(q.channelId, q.limit, q.cursor);
  return ok({ ...page, items: page.items.map(orderView) });
});
