import { z } from 'zod';
import { httpHandler, ok } from '#shared/http';
import { shippingPorts } from '../adapters/shipping-wiring.ts';
import { packScan } from '../core/packing.ts';
import { fulfillmentView } from '../views/fulfillment-views.ts';

const ports = shippingPorts();

const body = z.object({
  /** A catalog barcode of the unit, or its SKU code. */
  code: z.string().trim().min(1).max(128),
  /** Optional: a retried scan with the same id counts once. */
  scanId: z.string().min(1).max(128).optional(),
});

/** POST /api/fulfillments/{id}/pack-scans: one unit into the parcel; wrong item or one too many refused. */
export const handler = httpHandler(
  { params: z.object({ id: z.string().min(1).max(160) }), body },
  async ({ params, body }) => {
    const f = await packScan(ports, params.id, body);
    return ok(fulfillmentView(f));
  },
);
