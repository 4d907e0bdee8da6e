import { z } from 'zod';
import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { shippingPorts } from '../adapters/shipping-wiring.ts';
import { putPackages } from '../core/packing.ts';
import { fulfillmentView } from '../views/fulfillment-views.ts';

const ports = shippingPorts();

const measure = z.number().int('whole units').positive().max(10_000_000);
const body = z.object({
  packages: z
    .array(
      z.object({ weightGrams: measure, lengthMm: measure, widthMm: measure, heightMm: measure }).strict(),
    )
    .min(1)
    .max(100),
});

/**
 * POST /api/fulfillments/{id}/packages: weights and dimensions once every unit was scanned
 * (409 PACK_INCOMPLETE before); the fulfillment is packed and ready to ship. 201 the first time,
 * 200 for the same packages again.
 */
export const handler = httpHandler(
  { params: z.object({ id: z.string().min(1).max(160) }), body },
  async ({ params, body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    const { fulfillment, changed } = await putPackages(ports, params.id, body.packages, {
      actor,
      correlationId,
    });
    const view = fulfillmentView(fulfillment);
    return changed ? created(view) : ok(view);
  },
);
