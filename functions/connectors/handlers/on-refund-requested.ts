import { RefundRequested } from '#returns/api';
import { eventHandler } from '#shared/event-handler';
import { refundPorts } from '../adapters/wiring.ts';
import { postRefund } from '../core/post-refund.ts';

const ports = refundPorts();

/**
 * RefundRequested → the channel refunds the customer once per attempt (Shopify `refundCreate`,
 * WooCommerce `orders/{id}/refunds`), and ChannelRefundPosted tells returns the outcome. The
 * claim per channel × return × attempt, not the event id, is what makes it once: the same attempt
 * is announced again by a repeated workflow step or retry call.
 */
export const handler = eventHandler(
  'connectors-on-refund-requested',
  async (event) => {
    const data = RefundRequested.data.parse(event.detail.data);
    await postRefund(ports, data, event.detail.metadata.correlationId);
  },
  { idempotent: false },
);
