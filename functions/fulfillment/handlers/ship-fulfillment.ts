import { z } from 'zod';
import { created, httpHandler, ok, requirePrincipal } from '#shared/http';
import { shippingPorts } from '../adapters/shipping-wiring.ts';
import { ship } from '../core/shipping.ts';
import { fulfillmentView } from '../views/fulfillment-views.ts';

const ports = shippingPorts();

const body = z.object({
  carrier: z.string().trim().min(1).max(64),
  service: z.string().trim().min(1).max(64),
  trackingNumber: z.string().trim().min(1).max(128),
  trackingUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
});

/**
 * POST /api/fulfillments/{id}/ship: the parcel left. Inventory consumes the reservation from
 * STAGING and ShipmentConfirmed goes out once: 201 the first time; a repeat answers the same
 * shipment with 200 and publishes nothing new.
 */
export const handler = httpHandler(
  { params: z.object({ id: z.string().min(1).max(160) }), body },
  async ({ params, body, principal, correlationId }) => {
    const actor = requirePrincipal(principal).username;
    const { fulfillment, changed } = await ship(ports, params.id, body, { actor, correlationId });
    const view = fulfillmentView(fulfillment);
    return changed ? created(view) : ok(view);
  },
);
