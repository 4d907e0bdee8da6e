import { FulfillmentPacked, ShipmentConfirmed, WaveReleased } from '#fulfillment/api';
import { eventHandler } from '#shared/event-handler';
import { releasePorts } from '../adapters/wiring.ts';
import { followPacked, followShipment, followWave } from '../core/fulfillment-progress.ts';

const ports = releasePorts();

/**
 * WaveReleased → picking, FulfillmentPacked → packed, ShipmentConfirmed → shipped or
 * partially_shipped (with carrier and tracking on the order). Idempotent by construction: each
 * write is conditional on the release state read, and a redelivery finds its progress recorded.
 */
export const handler = eventHandler(
  'order-release-fulfillment-progress',
  async (event) => {
    const type = event['detail-type'];
    const data = event.detail.data;
    if (type === WaveReleased.detailType) await followWave(ports, WaveReleased.data.parse(data));
    else if (type === FulfillmentPacked.detailType)
      await followPacked(ports, FulfillmentPacked.data.parse(data));
    else if (type === ShipmentConfirmed.detailType)
      await followShipment(ports, ShipmentConfirmed.data.parse(data));
    else throw new Error(`order-release-fulfillment-progress cannot follow ${type}`);
  },
  { idempotent: false },
);
