import { AmazonOrderDetailsRequested } from '#orders/api';
import { eventHandler } from '#shared/event-handler';
import { amazonOrderPorts } from '../adapters/wiring.ts';
import { enrichAmazonOrder } from '../core/enrich-amazon-order.ts';

const ports = amazonOrderPorts();

/**
 * AmazonOrderDetailsRequested → the order, its items and address from the SP-API Orders API,
 * then through intake as a full order (orders' `takeAmazonOrderDetails`).
 */
export const handler = eventHandler('connectors-amazon-order-details', async (event) => {
  const data = AmazonOrderDetailsRequested.data.parse(event.detail.data);
  await enrichAmazonOrder(ports, data, event.detail.metadata.correlationId);
});
