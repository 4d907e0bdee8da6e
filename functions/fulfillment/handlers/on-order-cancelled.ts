import { OrderCancelled, OrderReleaseCancelled } from '#orders/api';
import { eventHandler } from '#shared/event-handler';
import { shippingPorts } from '../adapters/shipping-wiring.ts';
import { cancelOrderFulfillments } from '../core/cancellation.ts';

const ports = shippingPorts();

/**
 * A cancelled order: each of its fulfillments not shipped yet is cancelled through its workflow
 * (reservation released, picked units back in their bins); shipped ones are left alone. A channel
 * cancel arrives as OrderCancelled (and later OrderReleaseCancelled), an ops cancel only as
 * OrderReleaseCancelled; whichever comes first does it, the other finds nothing left to ask.
 */
export const handler = eventHandler(
  'fulfillment-on-order-cancelled',
  async (event) => {
    if (event['detail-type'] === OrderReleaseCancelled.detailType) {
      const data = OrderReleaseCancelled.data.parse(event.detail.data);
      // Its reservations are our fulfillment ids: found by id even when just created.
      await cancelOrderFulfillments(
        ports,
        data.orderId,
        data.reason ?? 'order cancelled',
        data.releasedReservations,
      );
      return;
    }
    const data = OrderCancelled.data.parse(event.detail.data);
    await cancelOrderFulfillments(ports, data.orderId, data.reason ?? 'order cancelled');
  },
  // Idempotent by construction: a cancel asked twice is marked once, a gone token is ignored.
  { idempotent: false },
);
