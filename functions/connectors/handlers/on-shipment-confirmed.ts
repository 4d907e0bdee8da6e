import { ShipmentConfirmed } from '#fulfillment/api';
import { eventHandler } from '#shared/event-handler';
import { shipPorts } from '../adapters/wiring.ts';
import { shipToChannel } from '../core/ship-to-channel.ts';

const ports = shipPorts();

/**
 * ShipmentConfirmed → the channel learns it once (Shopify fulfillment with tracking and customer
 * notification; WooCommerce completed with a tracking note). The claim per channel × shipment,
 * not the event id, is what makes it once: the same shipment may come in distinct deliveries.
 */
export const handler = eventHandler(
  'connectors-on-shipment-confirmed',
  async (event) => {
    const data = ShipmentConfirmed.data.parse(event.detail.data);
    await shipToChannel(ports, data);
  },
  { idempotent: false },
);
