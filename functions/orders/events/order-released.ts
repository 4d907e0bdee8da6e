import { defineEvent } from '#shared/events';
import { releasedShipment } from './release-payloads.ts';

/** Released to one of our own nodes (warehouse or store): fulfillment may pick it. One per node. */
export const OrderReleased = defineEvent({
  source: 'qm.orders',
  detailType: 'OrderReleased',
  version: 1,
  data: releasedShipment,
});
