import { OrderReleased } from '#orders/api';
import { eventHandler } from '#shared/event-handler';
import { fulfillmentPorts } from '../adapters/wiring.ts';
import { createFromRelease } from '../core/fulfillments.ts';

const ports = fulfillmentPorts();

/** OrderReleased to our own node: one fulfillment per order × node (3PL releases are not ours). */
export const handler = eventHandler(
  'fulfillment-on-order-released',
  async (event) => {
    const data = OrderReleased.data.parse(event.detail.data);
    await createFromRelease(ports, data, event.detail.metadata.correlationId);
  },
  // Idempotent by construction: the fulfillment id is the reservation id, the execution is named by it.
  { idempotent: false },
);
