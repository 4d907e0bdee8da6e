import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { FulfillmentNotFound } from '../errors.ts';
import { fulfillmentView } from '../views/fulfillment-views.ts';

const ports = fulfillmentPorts();

/** GET /api/fulfillments/{id}: lines with picked and packed units, packages, shipment. */
export const handler = httpHandler(
  { params: z.object({ id: z.string().min(1).max(160) }) },
  async ({ params }) => {
    const f = await ports.store.get(params.id);
    if (!f) throw new FulfillmentNotFound(params.id);
    return ok(fulfillmentView(f));
  },
);
