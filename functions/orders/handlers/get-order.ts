import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { orderPorts } from '../adapters/wiring.ts';
import { orderView } from '../core/order-view.ts';
import { OrderNotFound } from '../errors.ts';

const { queries: orders } = orderPorts();

/** GET /api/orders/{id} */
export const handler = httpHandler(
  { params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ params }) => {
    const order = await orders.get(params.id);
    if (!order) throw new OrderNotFound(params.id);
    return ok(orderView(order));
  },
);
